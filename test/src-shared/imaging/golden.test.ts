import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { euclideanDistanceTransform } from '../../../src-shared/imaging/distance-transform';
import { connectedComponents } from '../../../src-shared/imaging/connected-components';
import { computePercentileNormalization } from '../../../src-shared/imaging/normalization';
import { randScores } from '../../../src-shared/imaging/metrics/rand-scores';
import { informationScores } from '../../../src-shared/imaging/metrics/information-scores';
import { segScore } from '../../../src-shared/imaging/metrics/seg-score';
import { objectMatching } from '../../../src-shared/imaging/metrics/object-matching';
import { weightMap } from '../../../src-shared/imaging/weight-map';

/**
 * Values computed once by SciPy / scikit-image / NumPy (scripts/golden/imaging-golden.py, which documents exactly
 * what each number is) on arrays generated there and stored in the fixture.
 */
interface LabelCase {
  name: string;
  width: number;
  height: number;
  truth: number[];
  pred: number[];
  skimage: { adaptedRandError: number; precision: number; recall: number; viAll: number[]; viForeground: number[] };
  isbi: { vRand: number; randSplit: number; randMerge: number; vInfo: number | null; infoSplit: number | null; infoMerge: number | null };
  seg: number | null;
  matching: Array<{ threshold: number; tp: number; fp: number; fn: number; ap: number }>;
}

const golden = JSON.parse(
  readFileSync(new URL('../../fixtures/golden/imaging-golden.json', import.meta.url), 'utf8'),
) as {
  edt: Array<{ width: number; height: number; mask: number[]; distances: number[] }>;
  components: Array<{ width: number; height: number; mask: number[]; labels4: number[]; count4: number; labels8: number[]; count8: number }>;
  percentiles: Array<{ dtype: string; data: number[]; pcts: number[]; values: number[] }>;
  labelComparisons: LabelCase[];
  weightMaps: Array<{ name: string; width: number; height: number; classMap: number[]; instances: number[]; w0: number; sigma: number; weights: number[] }>;
};

describe('golden: scipy.ndimage.distance_transform_edt', () => {
  for (const c of golden.edt) {
    it(`${c.width}x${c.height}`, () => {
      const d = euclideanDistanceTransform(Uint8Array.from(c.mask), c.width, c.height);
      for (let i = 0; i < d.length; i++) expect(d[i]).toBeCloseTo(c.distances[i], 5);
    });
  }
});

describe('golden: scipy.ndimage.label', () => {
  for (const c of golden.components) {
    it(`${c.width}x${c.height}, 4- and 8-connectivity, identical labels`, () => {
      const mask = Uint8Array.from(c.mask);
      const four = connectedComponents(mask, c.width, c.height, 4);
      const eight = connectedComponents(mask, c.width, c.height, 8);
      expect(four.count).toBe(c.count4);
      expect(Array.from(four.labels)).toEqual(c.labels4);
      expect(eight.count).toBe(c.count8);
      expect(Array.from(eight.labels)).toEqual(c.labels8);
    });
  }
});

describe('golden: numpy.percentile', () => {
  for (const c of golden.percentiles) {
    it(c.dtype, () => {
      const data = c.dtype === 'uint16' ? Uint16Array.from(c.data) : Float32Array.from(c.data);
      for (let k = 0; k < c.pcts.length; k += 2) {
        const p = computePercentileNormalization(data, c.pcts[k], c.pcts[k + 1]);
        expect(p.low).toBeCloseTo(c.values[k], 5);
        expect(p.high).toBeCloseTo(c.values[k + 1], 5);
      }
    });
  }
});

describe('golden: label comparisons', () => {
  for (const c of golden.labelComparisons) {
    describe(c.name, () => {
      const truth = Int32Array.from(c.truth);
      const pred = Int32Array.from(c.pred);
      const { width: w, height: h } = c;

      it('skimage adapted_rand_error = our Rand with predicted 0 as a label and distinct pairs', () => {
        const r = randScores(truth, pred, w, h, { predictedBackground: 'label', pairs: 'distinct' });
        expect(r.randError).toBeCloseTo(c.skimage.adaptedRandError, 10);
        // skimage 0.19 calls pairs / truth pairs "precision" and pairs / predicted pairs "recall".
        expect(r.split).toBeCloseTo(c.skimage.precision, 10);
        expect(r.merge).toBeCloseTo(c.skimage.recall, 10);
      });

      it('skimage variation_of_information (bits) = our conditional entropies / ln 2', () => {
        const all = informationScores(truth, pred, w, h, { predictedBackground: 'label', restrictToTruth: false });
        expect(all.hPredGivenTruth / Math.LN2).toBeCloseTo(c.skimage.viAll[0], 10);
        expect(all.hTruthGivenPred / Math.LN2).toBeCloseTo(c.skimage.viAll[1], 10);
        const fg = informationScores(truth, pred, w, h, { predictedBackground: 'label' });
        expect(fg.hPredGivenTruth / Math.LN2).toBeCloseTo(c.skimage.viForeground[0], 10);
        expect(fg.hTruthGivenPred / Math.LN2).toBeCloseTo(c.skimage.viForeground[1], 10);
      });

      it('ISBI 2012 V_rand and V_info (Fiji formulas, predicted 0 as singletons)', () => {
        const r = randScores(truth, pred, w, h);
        expect(r.vRand).toBeCloseTo(c.isbi.vRand, 10);
        expect(r.split).toBeCloseTo(c.isbi.randSplit, 10);
        expect(r.merge).toBeCloseTo(c.isbi.randMerge, 10);
        const info = informationScores(truth, pred, w, h);
        if (c.isbi.vInfo !== null) expect(info.vInfo).toBeCloseTo(c.isbi.vInfo, 10);
        if (c.isbi.infoSplit !== null) expect(info.split).toBeCloseTo(c.isbi.infoSplit, 10);
        if (c.isbi.infoMerge !== null) expect(info.merge).toBeCloseTo(c.isbi.infoMerge, 10);
      });

      it('SEG and StarDist matching', () => {
        const seg = segScore(truth, pred, w, h);
        if (c.seg === null) expect(seg).toBeNaN();
        else expect(seg).toBeCloseTo(c.seg, 12);
        const ours = objectMatching(truth, pred, w, h, c.matching.map((m) => m.threshold));
        ours.forEach((m, k) => {
          expect({ tp: m.tp, fp: m.fp, fn: m.fn }).toEqual({ tp: c.matching[k].tp, fp: c.matching[k].fp, fn: c.matching[k].fn });
          expect(m.ap).toBeCloseTo(c.matching[k].ap, 12);
        });
      });
    });
  }
});

describe('golden: weight map with a full EDT per object', () => {
  for (const c of golden.weightMaps) {
    it(c.name, () => {
      const wm = weightMap(Uint8Array.from(c.classMap), Uint32Array.from(c.instances), c.width, c.height, {
        w0: c.w0,
        sigma: c.sigma,
      });
      // Exact where the border term exceeds w0 * 1e-6; below that it is cut to 0 (difference < 1e-5).
      for (let i = 0; i < wm.length; i++) expect(Math.abs(wm[i] - c.weights[i])).toBeLessThan(2e-5);
    });
  }
});
