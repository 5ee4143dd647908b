import type { FC } from "hono/jsx";

const css = "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.4rem 1rem}";

/** GET /unsubscribe/:token: asks before acting, because mail scanners follow links. `nonce` lets its <style> run under the CSP. */
export const UnsubscribePage: FC<{ email: string; done: boolean; action: string; nonce: string }> = ({ email, done, action, nonce }) => (
	<html lang="en">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<meta name="robots" content="noindex" />
			<title>Vigil: unsubscribe</title>
			<style nonce={nonce}>{css}</style>
		</head>
		<body>
			<h1>Vigil alerts</h1>
			{done ? (
				<p>
					<strong>{email}</strong> is unsubscribed and will get no more alerts or digests.
				</p>
			) : (
				<form method="post" action={action}>
					<p>
						Stop all Vigil alerts and digests to <strong>{email}</strong>?
					</p>
					<input type="hidden" name="List-Unsubscribe" value="One-Click" />
					<button type="submit">Unsubscribe</button>
				</form>
			)}
		</body>
	</html>
);
