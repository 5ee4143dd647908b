// The EMAIL binding's stand-in for sweeps and digests run in-process: what was sent, to whom,
// with which message id, and failures with send_email's error codes on demand.
/** A stand-in for the EMAIL binding: records every message it accepts, fails on demand. */
export class FakeEmail implements SendEmail {
	readonly sent: EmailMessageBuilder[] = [];
	/** The message id returned for each sent message (same index). */
	readonly messageIds: string[] = [];
	/** Recipients whose next sends throw, with how many failures are left. */
	private failures = new Map<string, { left: number; code: string }>();
	private counter = 0;

	/** The next `times` sends to `recipient` throw an Error with this Cloudflare error code. */
	failFor(recipient: string, times: number, code = "E_INTERNAL_SERVER_ERROR") {
		this.failures.set(recipient, { left: times, code });
	}

	async send(message: EmailMessage | EmailMessageBuilder): Promise<EmailSendResult> {
		if (!("subject" in message)) throw new Error("FakeEmail only takes the builder form");
		const to = String(message.to);
		const failure = this.failures.get(to);
		if (failure && failure.left > 0) {
			failure.left--;
			throw Object.assign(new Error(`send failed (${failure.code})`), { code: failure.code });
		}
		const messageId = `<fake-${++this.counter}@vigil.test>`;
		this.sent.push(message);
		this.messageIds.push(messageId);
		return { messageId };
	}

	/** The id the binding returned for a message it accepted. */
	idOf(message: EmailMessageBuilder | undefined): string | undefined {
		return message ? this.messageIds[this.sent.indexOf(message)] : undefined;
	}

	/** What one recipient got. */
	to(recipient: string): EmailMessageBuilder[] {
		return this.sent.filter((m) => m.to === recipient);
	}
}
