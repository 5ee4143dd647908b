import type { Child, FC } from "hono/jsx";
import type { AlertAckRow, MilestoneRow } from "../db/schema";
import { SmallPage } from "../http/small-page";
import { dueLabel, instant, type Language, rich, t, translated } from "../i18n";

/** Who acknowledged, in the page's words: the recipient by their own name when known. */
function whoAcked(lang: Language, ack: AlertAckRow, time: Child) {
	if (ack.byKind === "admin") return rich(lang, "ack.done_admin", { time });
	const someone = ack.byKind === "channel" ? t(lang, "ack.someone_channel") : t(lang, "ack.someone_subscriber");
	return rich(lang, "ack.done_by", { who: ack.by ? <bdi>{ack.by}</bdi> : someone, time });
}

/**
 * GET /ack/:token asks (mail scanners follow links, so it never acts) and POST answers with the
 * acknowledgement.
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
		<SmallPage nonce={nonce} lang={lang} title={t(lang, "ack.title")} heading={t(lang, "ack.heading")}>
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
		</SmallPage>
	);
};
