// What other features may use of sources: the lookup, and the secrets' encryption and encoding.
export { getSource } from "./queries";
export { decryptSecret, fromBase64, secretKeyBytes, toBase64 } from "./secrets";
