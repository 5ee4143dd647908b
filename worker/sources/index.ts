// What other features may use of sources: the lookup, whether this isolate changed one, and the
// secrets' encryption and encoding.
export { sourcesGeneration } from "./changes";
export { getSource } from "./queries";
export { decryptSecret, fromBase64, secretKeyBytes, toBase64 } from "./secrets";
