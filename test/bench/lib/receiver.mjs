// A local fake receiver for channel deliveries: a Node HTTP server on 127.0.0.1 that reads each
// request and answers 200 at once, counting what arrived, so the bench times Vigil and not a network.
import { createServer } from "node:http";

/** Starts the receiver; answers its base URL, how many requests reached it, and a stop function. */
export async function startReceiver() {
	let received = 0;
	const server = createServer((req, res) => {
		req.resume();
		req.on("end", () => {
			received++;
			res.writeHead(200, { "content-type": "text/plain" }).end("ok");
		});
	});
	await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		received: () => received,
		stop: () => new Promise((resolve) => server.close(resolve)),
	};
}
