/** wire/: bytes that explain themselves. See field.ts for the tree, coverage.ts for the check. */
export * from './field';
export * from './bytes';
export * from './parse-error';
export { ByteWriter } from './writer';
export { ByteReader } from './reader';
export * from './coverage';
