/**
 * NumPy .npy read/write (format versions 1–3). The shared benchmark tensors are .npy; the format is a
 * magic string, a little header holding a Python dict literal, then raw little-endian data — small enough
 * that a dependency would add more than it saves.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export type NpyDtype = '<f4' | '<f8' | '<i2' | '<i4' | '<i8' | '|u1' | '<u2' | '<u4' | '|b1' | '|i1';
export type NpyData = Float32Array | Float64Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | Int8Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  fortranOrder: boolean;
  data: NpyData;
}

const CTORS: Record<NpyDtype, new (buf: ArrayBuffer, off: number, len: number) => NpyData> = {
  '<f4': Float32Array, '<f8': Float64Array, '<i2': Int16Array, '<i4': Int32Array, '<i8': BigInt64Array,
  '|u1': Uint8Array, '<u2': Uint16Array, '<u4': Uint32Array, '|b1': Uint8Array, '|i1': Int8Array,
};

export function parseNpy(bytes: Uint8Array, label = 'npy'): NpyArray {
  const magic = String.fromCharCode(...bytes.subarray(0, 6));
  if (magic !== '\x93NUMPY') throw new Error(`${label}: not a .npy file (bad magic)`);
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw new Error(`${label}: unreadable .npy header`);
  const dtype = (descr === '<b1' ? '|b1' : descr === '<u1' ? '|u1' : descr) as NpyDtype;
  const Ctor = CTORS[dtype];
  if (!Ctor) throw new Error(`${label}: unsupported dtype ${descr}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = headerStart + headerLen;
  const bpe = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  // copy into a fresh aligned buffer (the data offset need not be aligned to the element size); Uint8Array's own
  // slice, because a Node Buffer's slice is a view into a shared pool whose .buffer starts elsewhere
  const buf = Uint8Array.prototype.slice.call(bytes, start, start + count * bpe).buffer;
  return { dtype, shape, fortranOrder: fortran, data: new Ctor(buf, 0, count) };
}

export function readNpy(path: string): NpyArray {
  return parseNpy(new Uint8Array(readFileSync(path)), path);
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof Int8Array) return '|i1';
  return '|u1';
}

export function serializeNpy(data: NpyData, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`serializeNpy: shape ${shape} holds ${count} values, data has ${data.length}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtypeOf(data)}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export function writeNpy(path: string, data: NpyData, shape: number[]): void {
  writeFileSync(path, serializeNpy(data, shape));
}

/** Values as float64 regardless of dtype. */
export function npyToFloat64(a: NpyArray): Float64Array {
  if (a.data instanceof BigInt64Array) return Float64Array.from(a.data, (v) => Number(v));
  return Float64Array.from(a.data as ArrayLike<number>);
}
