import { createRoute } from "@hono/zod-openapi";
import { requireAdmin, requireRead } from "../http/auth";
import { adminOnly, createRouter, jsonBody, jsonContent } from "../http/openapi";
import { IdParam, Page, pick } from "../http/schemas";
import {
	cancelledMilestoneExample,
	heldMilestoneExample,
	milestoneExample,
	milestoneListExample,
	outcomeListExample,
	revisionListExample,
	slippedMilestoneExample,
} from "./examples";
import { listOutcomes, recordOutcome } from "./outcome";
import { cancelMilestone, createMilestone, getMilestone, listMilestones, listRevisions, updateMilestone } from "./queries";
import {
	CreateMilestone,
	Milestone,
	MilestoneList,
	MilestoneQuery,
	milestoneJson,
	milestoneOutcomeJson,
	OutcomeList,
	RecordOutcome,
	RevisionList,
	revisionJson,
	UpdateMilestone,
} from "./schema";

const tags = ["Milestones"];

export const milestonesRouter = createRouter()
	.openapi(
		createRoute({
			method: "get",
			path: "/",
			tags,
			summary: "List milestones by due date",
			middleware: [requireRead] as const,
			request: { query: MilestoneQuery },
			responses: { 200: jsonContent(MilestoneList, "A page of milestones", milestoneListExample), ...pick(400, 401, 503) },
		}),
		async (c) => {
			const page = await listMilestones(c.get("db"), c.req.valid("query"));
			return c.json({ items: page.items.map((m) => milestoneJson(m, c.get("now"))), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/",
			tags,
			summary: "Create a milestone",
			description: "`due_at` is derived from `due`, `kind` and `timezone`: a deadline falls due when its period ends, an event when it starts.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { body: jsonBody(CreateMilestone) },
			responses: { 201: jsonContent(Milestone, "The new milestone", milestoneExample), ...pick(400, 401, 409, 413, 415, 422, 503) },
		}),
		async (c) => {
			const row = await createMilestone(c.get("db"), c.req.valid("json"), c.get("config").defaultTimezone, c.get("now"));
			c.header("location", `/api/milestones/${row.id}`);
			return c.json(milestoneJson(row, c.get("now")), 201);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}",
			tags,
			summary: "Get a milestone by id or slug",
			middleware: [requireRead] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Milestone, "The milestone", milestoneExample), ...pick(401, 404, 503) },
		}),
		async (c) => c.json(milestoneJson(await getMilestone(c.get("db"), c.req.valid("param").id), c.get("now")), 200),
	)
	.openapi(
		createRoute({
			method: "patch",
			path: "/{id}",
			tags,
			summary: "Change a milestone",
			description: "A change of `due_at` is a slip: it is recorded as a revision with `reason`, and `slip_count` goes up.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(UpdateMilestone) },
			responses: { 200: jsonContent(Milestone, "The updated milestone", slippedMilestoneExample), ...pick(400, 401, 404, 409, 413, 415, 422, 503) },
		}),
		async (c) => {
			const row = await updateMilestone(c.get("db"), c.req.valid("param").id, c.req.valid("json"), c.get("now"));
			return c.json(milestoneJson(row, c.get("now")), 200);
		},
	)
	.openapi(
		createRoute({
			method: "delete",
			path: "/{id}",
			tags,
			summary: "Cancel a milestone",
			description: "Sets `status` to `cancelled`; the milestone and its history are kept, and no more alerts are sent for it.",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam },
			responses: { 200: jsonContent(Milestone, "The cancelled milestone", cancelledMilestoneExample), ...pick(401, 404, 409, 503) },
		}),
		async (c) => c.json(milestoneJson(await cancelMilestone(c.get("db"), c.req.valid("param").id, c.get("now")), c.get("now")), 200),
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}/revisions",
			tags,
			summary: "A milestone's due-date history, newest first",
			middleware: [requireRead] as const,
			request: { params: IdParam, query: Page.strict() },
			responses: { 200: jsonContent(RevisionList, "A page of revisions", revisionListExample), ...pick(400, 401, 404, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listRevisions(c.get("db"), c.req.valid("param").id, limit, cursor);
			return c.json({ items: page.items.map(revisionJson), next_cursor: page.next }, 200);
		},
	)
	.openapi(
		createRoute({
			method: "post",
			path: "/{id}/outcome",
			tags,
			summary: "Record what happened: met, missed, held or postponed",
			description:
				"`met`, `missed` and `held` (events only) close the milestone: no more alerts, `status` met or missed, `outcome` set. `postponed` needs a later `due` and is a slip whose reason is `note`: the milestone is scheduled again. Posting again corrects the outcome; every post is kept (`/outcomes`).",
			security: adminOnly,
			middleware: [requireAdmin] as const,
			request: { params: IdParam, body: jsonBody(RecordOutcome) },
			responses: { 200: jsonContent(Milestone, "The milestone with its outcome", heldMilestoneExample), ...pick(400, 401, 404, 409, 413, 415, 422, 503) },
		}),
		async (c) => {
			const row = await recordOutcome(c.get("db"), c.req.valid("param").id, c.req.valid("json"), c.get("now"));
			return c.json(milestoneJson(row, c.get("now")), 200);
		},
	)
	.openapi(
		createRoute({
			method: "get",
			path: "/{id}/outcomes",
			tags,
			summary: "Every outcome posted for a milestone, corrections and postponements included, newest first",
			middleware: [requireRead] as const,
			request: { params: IdParam, query: Page.strict() },
			responses: { 200: jsonContent(OutcomeList, "A page of outcomes", outcomeListExample), ...pick(400, 401, 404, 503) },
		}),
		async (c) => {
			const { limit, cursor } = c.req.valid("query");
			const page = await listOutcomes(c.get("db"), c.req.valid("param").id, limit, cursor);
			return c.json({ items: page.items.map(milestoneOutcomeJson), next_cursor: page.next }, 200);
		},
	);
