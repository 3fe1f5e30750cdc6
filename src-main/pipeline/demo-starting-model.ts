/**
 * The model the demo fine-tunes by default. The bundled images are fluorescence nuclei, and the starter
 * nuclei model was trained on other DSB 2018 images (none of the demo's): fine-tuning it for the demo's
 * 4 minutes scored higher than training from scratch on IoU and SEG with each of three seeds
 * (docs/benchmarks.md, "The demo fine-tunes the starter by default").
 */
export const DEMO_STARTER = 'starter:nuclei';

export interface DemoStartChoice {
  /** A model named by the user (`--init`). */
  init?: string;
  /** Random weights, the paper's initialisation (`--from-scratch`). */
  fromScratch?: boolean;
  /** Another folder of images (`--data`): they need not be nuclei, so they start from random weights. */
  dataDir?: string;
}

/** Where the demo's training starts: the named model, random weights (undefined), or the starter. */
export function demoStartingModel(choice: DemoStartChoice): string | undefined {
  if (choice.fromScratch) return undefined;
  if (choice.init !== undefined) return choice.init;
  return choice.dataDir === undefined ? DEMO_STARTER : undefined;
}
