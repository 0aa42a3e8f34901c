/**
 * Radially symmetric 2-D smoothing kernels, each normalised to unit mass over the plane.
 * Bandwidth h means the standard deviation per axis for the Gaussian and the support radius for the
 * compact kernels (quartic = biweight, Epanechnikov), the conventions of CrimeStat and ArcGIS.
 */
export type KernelName = 'gaussian' | 'quartic' | 'epanechnikov';
export const KERNEL_NAMES: readonly KernelName[] = ['gaussian', 'quartic', 'epanechnikov'];

/** Gaussian stencils are truncated at this many standard deviations (mass beyond 5σ in 2-D is e^-12.5 ≈ 4e-6). */
export const GAUSSIAN_TRUNCATION = 5;

/** Kernel value K_h(d) for a distance d (metres) at bandwidth h, per square metre. */
export function kernelValue(kernel: KernelName, d: number, h: number): number {
  const u2 = (d * d) / (h * h);
  switch (kernel) {
    case 'gaussian':
      return Math.exp(-0.5 * u2) / (2 * Math.PI * h * h);
    case 'quartic':
      return u2 < 1 ? (3 / (Math.PI * h * h)) * (1 - u2) * (1 - u2) : 0;
    case 'epanechnikov':
      return u2 < 1 ? (2 / (Math.PI * h * h)) * (1 - u2) : 0;
  }
}

/** Distance beyond which the kernel is (treated as) zero. */
export function kernelSupport(kernel: KernelName, h: number): number {
  return kernel === 'gaussian' ? GAUSSIAN_TRUNCATION * h : h;
}

/**
 * Factor turning a Gaussian standard deviation into the equivalent bandwidth of another kernel
 * (Marron & Nolka's canonical bandwidths: δ_K = (R(K)/μ2(K)²)^(1/6) in 2-D; R = ∫K², μ2 = ∫x1²K).
 * Gaussian: R = 1/(4π), μ2 = 1; quartic (unit radius): R = 9/(5π), μ2 = 1/8; Epanechnikov: R = 4/(3π), μ2 = 1/6.
 */
export function gaussianToKernelBandwidth(kernel: KernelName): number {
  const deltaG = Math.pow(1 / (4 * Math.PI), 1 / 6);
  switch (kernel) {
    case 'gaussian':
      return 1;
    case 'quartic':
      return Math.pow((9 / (5 * Math.PI)) * 64, 1 / 6) / deltaG;
    case 'epanechnikov':
      return Math.pow((4 / (3 * Math.PI)) * 36, 1 / 6) / deltaG;
  }
}
