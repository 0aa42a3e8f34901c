/**
 * Checkpoints on disk without tfjs-node (whose file:// handler needs libtensorflow): the model goes through
 * tf.io.withSaveHandler / tf.io.fromMemory, and we write model.json (topology, weight specs and our own `meta`)
 * plus weights.bin ourselves.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from './backend.js';
import { UserError } from '../../util/errors.js';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

export async function saveCheckpoint(dir: string, model: tf.LayersModel, meta: unknown): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (art) => {
    const data = art.weightData;
    const buf = data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
    writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(buf));
    writeFileSync(join(dir, MODEL_FILE), JSON.stringify({ format: 'crimecast-deep/1', modelTopology: art.modelTopology, weightSpecs: art.weightSpecs, meta }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}

export async function loadCheckpoint<M>(dir: string): Promise<{ model: tf.LayersModel; meta: M }> {
  const file = join(dir, MODEL_FILE);
  if (!existsSync(file)) throw new UserError(`no deep-model checkpoint in ${dir} (expected ${MODEL_FILE} and ${WEIGHTS_FILE})`, 'fit a model with checkpoint=DIR first');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; meta: M };
  if (json.format !== 'crimecast-deep/1') throw new UserError(`${file} is not a CrimeCast deep-model checkpoint`);
  const bin = readFileSync(join(dir, WEIGHTS_FILE));
  const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData }));
  return { model, meta: json.meta };
}

/**
 * Start a freshly built model from a checkpoint's weights (transfer learning): weights are matched in order and
 * copied where the shapes agree; fixed (non-trainable) weights such as a graph operator keep the new model's.
 * Returns how many weight tensors were copied.
 */
export function copyWeights(from: tf.LayersModel, to: tf.LayersModel): number {
  const src = from.weights, dst = to.weights;
  if (src.length !== dst.length) throw new UserError(`the checkpoint's network has ${src.length} weight tensors, this one ${dst.length}: pre-train the same model type with the same lookback / hidden sizes`);
  let copied = 0;
  for (let i = 0; i < dst.length; i++) {
    if (!dst[i].trainable) continue;
    const a = src[i].shape.join('x'), b = dst[i].shape.join('x');
    if (a !== b) continue;
    dst[i].write(src[i].read());
    copied++;
  }
  if (copied === 0) throw new UserError('no weight of the checkpoint fits this network (all shapes differ)');
  return copied;
}
