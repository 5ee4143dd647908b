import type { FC } from "hono/jsx";
import type { AlertAckRow, MilestoneRow } from "../db/schema";
import { dueLabel, utcTime } from "./email/format";

const css = "body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.4rem 1rem}";

const whoAcked = (ack: AlertAckRow) => (ack.byKind === "admin" ? "an admin" : (ack.by ?? `a ${ack.byKind}`));

/**
 * GET /ack/:token asks (mail scanners follow links, so it never acts) and POST answers with the
 * acknowledgement. Every value is escaped by hono/jsx; `nonce` lets the <style> run under the CSP.
 */
export const AckPage: FC<{ milestone: MilestoneRow; ack: AlertAckRow | null; action: string; nonce: string }> = ({ milestone, ack, action, nonce }) => (
	<html lang="en">
		<head>
			<meta charset="utf-8" />
			<meta name="viewport" content="width=device-width, initial-scale=1" />
			<meta name="robots" content="noindex" />
			<title>Vigil: acknowledge</title>
			<style nonce={nonce}>{css}</style>
		</head>
		<body>
			<h1>Vigil alerts</h1>
			<p>
				<strong>{milestone.title}</strong> is overdue: it was due {dueLabel(milestone)} ({utcTime(milestone.dueAt)}).
			</p>
			{ack ? (
				<p>
					Acknowledged by {whoAcked(ack)} on {utcTime(ack.ackedAt)}: no more reminders for this due date. A new due date will start them again.
				</p>
			) : (
				<form method="post" action={action}>
					<p>Acknowledge it, so that nobody gets more reminders for this due date? A new due date will start them again.</p>
					<button type="submit">Acknowledge</button>
				</form>
			)}
		</body>
	</html>
);
