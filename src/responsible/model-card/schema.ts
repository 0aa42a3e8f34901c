/**
 * Model cards (Mitchell et al. 2019, "Model Cards for Model Reporting") for CrimeCast forecasters, as a zod schema
 * so a card read back from JSON is validated, and `z.toJSONSchema` can publish the format.
 */
import { z } from 'zod';

const interval = z.object({ estimate: z.number().nullable(), lo: z.number().nullable(), hi: z.number().nullable() });

export const ModelCardSchema = z.object({
  schemaVersion: z.literal(1),
  model: z.object({
    name: z.string(),
    spec: z.string(),
    family: z.string().optional(),
    description: z.string().optional(),
    params: z.record(z.string(), z.unknown()),
    version: z.string().optional(),
  }),
  created: z.string(),
  data: z.object({
    sources: z.array(z.string()),
    trainingWindow: z.object({ from: z.string(), to: z.string() }),
    periodUnit: z.string(),
    categories: z.array(z.string()),
    /** Category → where its records come from (source-bias controls). */
    categorySources: z.record(z.string(), z.string()),
    spatialUnit: z.object({ kind: z.string(), spec: z.string(), regions: z.number().int() }),
  }),
  intendedUse: z.array(z.string()),
  outOfScope: z.array(z.string()),
  evaluation: z.array(z.object({
    metric: z.string(),
    value: interval,
    protocol: z.string().optional(),
    note: z.string().optional(),
  })),
  fairness: z.array(z.object({
    group: z.string(),
    metric: z.string(),
    value: interval,
  })),
  limitations: z.array(z.string()),
  ethicalConsiderations: z.array(z.string()),
});

export type ModelCard = z.infer<typeof ModelCardSchema>;

/** The JSON Schema of a model card file. */
export function modelCardJsonSchema(): unknown {
  return z.toJSONSchema(ModelCardSchema);
}

export function parseModelCard(json: unknown): ModelCard {
  return ModelCardSchema.parse(json);
}
