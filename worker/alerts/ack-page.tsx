import type { Child, FC } from "hono/jsx";
import type { AlertAckRow, MilestoneRow } from "../db/schema";
import { dueLabel, FONT_STACK, htmlAttributes, instant, type Language, rich, t, translated } from "../i18n";

const css = `body{font:16px/1.5 ${FONT_STACK};max-inline-size:32rem;margin-block:3rem;margin-inline:auto;padding-inline:1rem}button{font:inherit;padding-block:.4rem;padding-inline:1rem}`;

/** Who acknowledged, in the page's words: the recipient by their own name when known. */
function whoAcked(lang: Language, ack: AlertAckRow, time: Child) {
	if (ack.byKind === "admin") return rich(lang, "ack.done_admin", { time });
	const someone = ack.byKind === "channel" ? t(lang, "ack.someone_channel") : t(lang, "ack.someone_subscriber");
	return rich(lang, "ack.done_by", { who: ack.by ? <bdi>{ack.by}</bdi> : someone, time });
}

/**
 * GET /ack/:token asks (mail scanners follow links, so it never acts) and POST answers with the
 * acknowledgement. Every value is escaped by hono/jsx; `nonce` lets the <style> run under the CSP.
 */
export const AckPage: FC<{ milestone: MilestoneRow; ack: AlertAckRow | null; action: string; nonce: string; lang?: Language }> = ({
	milestone: m,
	ack,
	action,
	nonce,
	lang = "en",
}) => {
	const title = translated(lang, m.title, m.titleI18n);
	const when = (d: Date) => <time datetime={d.toISOString()}>{instant(lang, d.getTime())}</time>;
	return (
		<html {...htmlAttributes(lang)}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="robots" content="noindex" />
				<title>{t(lang, "ack.title")}</title>
				<style nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />
			</head>
			<body>
				<h1>{t(lang, "ack.heading")}</h1>
				<p>
					{rich(lang, "ack.overdue", {
						title: (
							<strong>
								<bdi lang={title.lang}>{title.text}</bdi>
							</strong>
						),
						due: dueLabel(lang, m.due, m.kind, m.timezone, m.dueAt.getTime()),
						time: when(m.dueAt),
					})}
				</p>
				{ack ? (
					<p>{whoAcked(lang, ack, when(ack.ackedAt))}</p>
				) : (
					<form method="post" action={action}>
						<p>{t(lang, "ack.ask")}</p>
						<button type="submit">{t(lang, "ack.button")}</button>
					</form>
				)}
			</body>
		</html>
	);
};
