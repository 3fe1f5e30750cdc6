import { FIRST_OBJECT_CLASS } from '../../src-shared/contract/records';
import { connectedComponents } from '../../src-shared/imaging/connected-components';

export interface PredictedMaps {
  width: number;
  height: number;
  /** 1 = background, 2.. = classes. */
  classMap: Uint8Array;
  /** Object labels, when the prediction split objects. */
  instances?: ArrayLike<number>;
}

/**
 * The label maps of an annotation made from a prediction: every pixel labelled with its predicted class
 * (a class the palette lacks stays unlabelled), object pixels with their predicted object; without
 * predicted objects, each 4-connected region of one class is an object, as painting would make it.
 */
export function annotationFromPrediction(prediction: PredictedMaps, palette: ReadonlySet<number>): { classMap: Uint8Array; instanceMap: Uint32Array } {
  const { width, height } = prediction;
  const n = width * height;
  const classMap = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = prediction.classMap[i];
    classMap[i] = palette.has(c) ? c : 0;
  }
  const instanceMap = new Uint32Array(n);
  const objects = prediction.instances ?? objectComponents(classMap, width, height);
  for (let i = 0; i < n; i++) if (classMap[i] >= FIRST_OBJECT_CLASS) instanceMap[i] = objects[i];
  // An object pixel the prediction left without an object (a split cut it off) joins no object: give it one.
  const orphans = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (classMap[i] >= FIRST_OBJECT_CLASS && instanceMap[i] === 0) {
      orphans[i] = classMap[i];
      any = true;
    }
  }
  if (any) {
    let next = 1;
    for (let i = 0; i < n; i++) if (instanceMap[i] >= next) next = instanceMap[i] + 1;
    const pieces = connectedComponents(orphans, width, height, 4, { sameValue: true });
    for (let i = 0; i < n; i++) if (pieces.labels[i] > 0) instanceMap[i] = next + pieces.labels[i] - 1;
  }
  return { classMap, instanceMap };
}

function objectComponents(classMap: Uint8Array, width: number, height: number): Int32Array {
  const objects = new Uint8Array(classMap.length);
  for (let i = 0; i < classMap.length; i++) objects[i] = classMap[i] >= FIRST_OBJECT_CLASS ? classMap[i] : 0;
  return connectedComponents(objects, width, height, 4, { sameValue: true }).labels;
}
