/** How the simulated forecaster turns what was recorded into training data. */
export type FeedbackCorrection = 'none' | 'ipw' | 'explore';

export const FEEDBACK_CORRECTIONS: readonly FeedbackCorrection[] = ['none', 'ipw', 'explore'];

export const CORRECTION_TEXT: Record<FeedbackCorrection, string> = {
  none: 'naive: every recorded incident is fed back with weight 1',
  ipw: 'inverse probability weighting: each recorded incident is weighted by 1 / P(it would have been recorded) (Ensign et al. 2018)',
  explore: 'exploration: a share ε of patrols is randomised and only victim reports plus discoveries made on randomised patrols train the model',
};
