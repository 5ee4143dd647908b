// What other features may use of sources: the lookup, whether this isolate changed one, and the
// secrets' generation, encryption and encoding.
export { sourcesGeneration } from "./changes";
export { getSource } from "./queries";
export { decryptSecret, encryptSecret, fromBase64, generateSecret, secretKeyBytes, toBase64 } from "./secrets";
