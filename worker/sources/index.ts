// What other features may use of sources: the lookup, and the secrets' generation, encryption and encoding.
export { getSource } from "./queries";
export { decryptSecret, encryptSecret, fromBase64, generateSecret, secretKeyBytes, toBase64 } from "./secrets";
