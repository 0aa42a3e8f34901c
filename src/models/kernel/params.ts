/** Shared zod fragments for the kernel forecasters' hyper-parameters. */
import { z } from 'zod';
import { KERNEL_NAMES, type KernelName } from './kernels.js';

export const kernelParam = z.enum(KERNEL_NAMES as [KernelName, ...KernelName[]]);
/** Metres, or a selection rule: "bandwidth=250" and "bandwidth=lcv" both parse. */
export const bandwidthParam = z.union([z.enum(['scott', 'silverman', 'lcv']), z.coerce.number().positive()]);
/** Share of each category's rate spread over the area in proportion to region area (keeps every mean > 0). */
export const floorParam = z.coerce.number().min(0).max(1).default(0.001);
export const rateWindowParam = z.coerce.number().positive().default(56);
