/** crypto/: thin wrappers over @noble/* and WebCrypto, a seeded DRBG, and the virtual clock. */
export * from './random';
export * from './clock';
export * from './hash';
export * from './cipher';
export * from './aead';
export * from './key-agreement';
export * from './ecdsa';
export * from './rsa';
