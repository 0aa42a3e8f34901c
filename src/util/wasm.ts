/**
 * Instantiating the project's small hand-written WebAssembly kernels (e.g. models/trees/hist-kernel.wat), whose
 * bytes are embedded as base64. Node's WebAssembly global is typed here: the project's lib settings (ES2023, no
 * DOM) don't declare it.
 */
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
  Memory: new (limits: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const compiled = new Map<string, object>();

export const WASM_PAGE = 65536;

/** A fresh instance (own memory) of the module with these base64 bytes; the module is compiled once. */
export function instantiateWasm<E>(base64: string): E & { memory: WasmMemory } {
  return new WA.Instance(wasmModule(base64)).exports as unknown as E & { memory: WasmMemory };
}

/** The compiled module of these base64 bytes (compiled once), e.g. to hand to a worker thread. */
export function wasmModule(base64: string): object {
  let module = compiled.get(base64);
  if (!module) { module = new WA.Module(Buffer.from(base64, 'base64')); compiled.set(base64, module); }
  return module;
}

/**
 * A shared memory of at least `bytes` (fixed size) for a module that imports "env" "memory" as shared, so worker
 * threads can run the same kernel over the same data; its buffer is a SharedArrayBuffer.
 */
export function sharedWasmMemory(bytes: number): WasmMemory {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE));
  return new WA.Memory({ initial: pages, maximum: pages, shared: true });
}

/** A fresh instance of a compiled module whose memory is imported as "env" "memory". */
export function instantiateWithMemory<E>(module: object, memory: WasmMemory): E {
  return new WA.Instance(module, { env: { memory } }).exports as unknown as E;
}

/** Grows the memory to at least `bytes` (throws RangeError when it cannot). */
export function ensureWasmMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
}

/** Byte offsets rounded up to 16 (f64 and v128 loads stay aligned). */
export const alignWasm = (n: number): number => Math.ceil(n / 16) * 16;
