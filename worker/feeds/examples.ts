/**
 * What ical-generator writes for the milestone example, shortened to two of its four VALARMs.
 * Lines end in CRLF and fold at 75 octets, as RFC 5545 requires.
 */
export const milestonesIcsExample = [
	"BEGIN:VCALENDAR",
	"VERSION:2.0",
	"PRODID:-//Vigil//milestones//EN",
	"URL:https://vigil.example.org/feeds/milestones.ics",
	"NAME:Vigil milestones",
	"X-WR-CALNAME:Vigil milestones",
	"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
	"X-PUBLISHED-TTL:PT1H",
	"BEGIN:VEVENT",
	"UID:milestone-1@vigil.example.org",
	"SEQUENCE:0",
	"DTSTAMP:20250115T090000Z",
	"DTSTART:20250930T210000Z",
	"DTEND:20250930T210000Z",
	"SUMMARY:US-led coalition leaves Ain al-Asad and Camp Victory",
	"DESCRIPTION:Deadline by September 2025 (month precision).\\n\\nFirst phase o",
	" f the transition agreed in September 2024.",
	"BEGIN:VALARM",
	"ACTION:DISPLAY",
	"TRIGGER:-P7D",
	"DESCRIPTION:US-led coalition leaves Ain al-Asad and Camp Victory: P7D befo",
	" re",
	"END:VALARM",
	"BEGIN:VALARM",
	"ACTION:DISPLAY",
	"TRIGGER:PT0S",
	"DESCRIPTION:US-led coalition leaves Ain al-Asad and Camp Victory: due now",
	"END:VALARM",
	"CATEGORIES:withdrawal,iraq",
	"URL;VALUE=URI:https://example.org/joint-statement",
	"STATUS:CONFIRMED",
	"CREATED:20250115T090000Z",
	"LAST-MODIFIED:20250115T090000Z",
	"END:VEVENT",
	"END:VCALENDAR",
].join("\r\n");

/** An Atom feed as the incident feeds write it, shortened to one entry. */
export const ATOM_EXAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>https://vigil.example.org/feeds/incidents.atom</id><title type="text">Vigil: verified incidents</title><updated>2025-09-02T08:00:00.000Z</updated><entry><id>https://vigil.example.org/api/incidents/42</id><title type="text">Explosions/Remote violence: Air/drone strike — Wadi Hauran</title><updated>2025-09-02T08:00:00.000Z</updated><published>2025-09-01T00:00:00.000Z</published><summary type="html">Date: 2025-09-01&lt;br&gt;
Fatalities: 2</summary></entry></feed>
`;

export const MILESTONES_ATOM_EXAMPLE = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>https://vigil.example.org/feeds/milestones.atom</id><title type="text">Vigil: milestones and their outcomes</title><updated>2025-11-12T08:00:00.000Z</updated><entry><id>https://vigil.example.org/api/milestones/3</id><title type="text">Held: Iraqi parliamentary elections</title><updated>2025-11-12T08:00:00.000Z</updated><published>2025-11-10T21:00:00.000Z</published><summary type="html">Event on 11 November 2025.&lt;br&gt;
Outcome: held (recorded 2025-11-12).&lt;br&gt;
Polls opened on time; turnout 56%</summary></entry></feed>
`;
