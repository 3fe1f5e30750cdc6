#!/usr/bin/python3
"""Golden values for the imaging tests, computed by independent implementations (SciPy, scikit-image, NumPy).

Run with Debian's Python (apt-get install -y python3-skimage python3-scipy):
    /usr/bin/python3 scripts/golden/imaging-golden.py
It writes test/fixtures/golden/imaging-golden.json. Inputs are generated here from fixed seeds and stored in the
JSON too, so the TypeScript tests read the exact same arrays.

What is compared, precisely:
- scipy.ndimage.distance_transform_edt(mask): distance of each non-zero pixel to the nearest zero pixel.
- scipy.ndimage.label with 4- and 8-connectivity (labels in raster order of first pixel).
- numpy.percentile (linear interpolation) for the percentile normalisation.
- skimage.metrics.adapted_rand_error(truth, pred) (ignore_labels=(0,)): pixels with truth 0 are left out,
  predicted 0 is an ordinary label, pairs are pairs of DISTINCT pixels (sums of squares minus n). This is the
  SNEMI3D adapted Rand error, not the ISBI 2012 V_rand (which counts predicted 0 as singletons and uses n^2);
  the tests compare it to randScores(..., { predictedBackground: 'label', pairs: 'distinct' }).
  Note: skimage 0.19 divides its "precision" by the TRUTH pairs and its "recall" by the PREDICTED pairs (the
  docstring says the opposite); the F-score does not depend on that.
- skimage.metrics.variation_of_information(truth, pred, ignore_labels=...): [H(pred|truth), H(truth|pred)] in bits,
  with ignore_labels=() over all pixels and with (0,) over truth-labelled pixels (predicted 0 an ordinary label).
- isbi_scores below: a NumPy port of the formulas of Fiji's RandError.foregroundRestrictedStatsN2 and
  VariationOfInformation.foregroundRestrictedFscore (the ISBI 2012 scoring), predicted 0 as singletons.
- stardist_matching below: StarDist's matching (linear_sum_assignment on -(iou >= t) - iou / (2 n_matched)).
- seg below: the Cell Tracking Challenge SEG measure.
- weight_map below: the paper's weight map with one full scipy EDT per object (no cut-off).
"""
import json
import os

import numpy as np
from scipy import ndimage
from scipy.optimize import linear_sum_assignment
from skimage.metrics import adapted_rand_error, variation_of_information

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'golden', 'imaging-golden.json')


def flat(a):
    return [float(v) if isinstance(v, (float, np.floating)) else int(v) for v in np.asarray(a).ravel().tolist()]


def disks(rng, h, w, count, rmin, rmax, touching=True):
    """Instance map of random disks; later disks overwrite earlier ones, so neighbours touch."""
    lab = np.zeros((h, w), np.int32)
    yy, xx = np.mgrid[0:h, 0:w]
    for k in range(1, count + 1):
        cy, cx = rng.integers(0, h), rng.integers(0, w)
        r = rng.integers(rmin, rmax + 1)
        lab[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] = k
    if not touching:
        # A 1-pixel membrane between different labels, as in EM ground truth.
        edge = ndimage.maximum_filter(lab, 3) != ndimage.minimum_filter(lab, 3)
        lab[edge] = 0
    # Keep one 4-connected piece per label value (overwriting can split a disk).
    out = np.zeros_like(lab)
    nxt = 1
    for k in np.unique(lab):
        if k == 0:
            continue
        pieces, n = ndimage.label(lab == k)
        for p in range(1, n + 1):
            out[pieces == p] = nxt
            nxt += 1
    return out


def isbi_scores(truth, pred):
    """Foreground-restricted Rand and information scores, as Fiji's ISBI 2012 code (N^2, natural log)."""
    t = truth.ravel()
    p = pred.ravel()
    keep = t != 0
    t = t[keep]
    p = p[keep]
    n = float(t.size)
    pairs = {}
    for a, b in zip(t.tolist(), p.tolist()):
        pairs[(a, b)] = pairs.get((a, b), 0) + 1
    pij = {k: v / n for k, v in pairs.items()}
    ai, bj = {}, {}
    for (a, b), v in pij.items():
        ai[a] = ai.get(a, 0) + v
        if b != 0:
            bj[b] = bj.get(b, 0) + v
    aux = sum(v for (a, b), v in pij.items() if b == 0)
    sum_a2 = sum(v * v for v in ai.values())
    sum_b2 = sum(v * v for v in bj.values()) + aux / n
    sum_ab2 = sum(v * v for (a, b), v in pij.items() if b != 0) + aux / n
    merge = sum_ab2 / sum_b2
    split = sum_ab2 / sum_a2
    v_rand = 2 * merge * split / (merge + split)
    xlogx = lambda x: x * np.log(x) if x > 0 else 0.0
    sum_a = sum(xlogx(v) for v in ai.values())
    sum_b = sum(xlogx(v) for v in bj.values()) - aux * np.log(n)
    sum_ab = sum(xlogx(v) for (a, b), v in pij.items() if b != 0) - aux * np.log(n)
    ha, hb = -sum_a, -sum_b
    hab, hba = sum_b - sum_ab, sum_a - sum_ab
    info_merge = (ha - hab) / ha if ha != 0 else None
    info_split = (hb - hba) / hb if hb != 0 else None
    v_info = None
    if info_merge is not None and info_split is not None:
        v_info = 2 * info_merge * info_split / (info_merge + info_split)
    return {'vRand': v_rand, 'randSplit': split, 'randMerge': merge, 'vInfo': v_info,
            'infoSplit': info_split, 'infoMerge': info_merge}


def iou_matrix(truth, pred):
    tl = [v for v in np.unique(truth) if v != 0]
    pl = [v for v in np.unique(pred) if v != 0]
    m = np.zeros((len(tl), len(pl)))
    for i, a in enumerate(tl):
        ta = truth == a
        for j, b in enumerate(pl):
            pb = pred == b
            inter = np.logical_and(ta, pb).sum()
            if inter:
                m[i, j] = inter / np.logical_or(ta, pb).sum()
    return m


def stardist_matching(truth, pred, thresh):
    scores = iou_matrix(truth, pred)
    n_true, n_pred = scores.shape
    n_matched = min(n_true, n_pred)
    if n_matched > 0 and np.any(scores >= thresh):
        costs = -(scores >= thresh).astype(float) - scores / (2 * n_matched)
        ti, pi = linear_sum_assignment(costs)
        tp = int(np.count_nonzero(scores[ti, pi] >= thresh))
    else:
        tp = 0
    fp, fn = n_pred - tp, n_true - tp
    return {'threshold': thresh, 'tp': tp, 'fp': fp, 'fn': fn,
            'ap': tp / (tp + fp + fn) if tp + fp + fn else 1.0}


def seg(truth, pred):
    js = []
    for r in [v for v in np.unique(truth) if v != 0]:
        rm = truth == r
        best = 0.0
        for s in np.unique(pred[rm]):
            if s == 0:
                continue
            sm = pred == s
            inter = np.logical_and(rm, sm).sum()
            if inter > 0.5 * rm.sum():
                best = inter / np.logical_or(rm, sm).sum()
        js.append(best)
    return float(np.mean(js)) if js else None


def weight_map(cls, inst, w0=10.0, sigma=5.0):
    labelled = cls > 0
    classes = [c for c in np.unique(cls) if c > 0]
    wc = np.zeros(256)
    for c in classes:
        wc[c] = labelled.sum() / (len(classes) * (cls == c).sum())
    ids = [v for v in np.unique(inst) if v != 0]
    dists = np.stack([ndimage.distance_transform_edt(inst != k) for k in ids]) if ids else np.zeros((0,) + cls.shape)
    w = wc[cls].astype(np.float64)
    if len(ids) >= 2:
        dists.sort(axis=0)
        term = w0 * np.exp(-((dists[0] + dists[1]) ** 2) / (2 * sigma ** 2))
        w = w + np.where(cls == 1, term, 0.0)
    return w


def main():
    rng = np.random.default_rng(20150518)
    golden = {'generator': 'scripts/golden/imaging-golden.py', 'versions': {}}
    import scipy, skimage
    golden['versions'] = {'numpy': np.__version__, 'scipy': scipy.__version__, 'skimage': skimage.__version__}

    # Distance transforms.
    edt = []
    for (h, w, density) in [(16, 20, 0.85), (1, 13, 0.7), (17, 1, 0.6), (24, 32, None)]:
        if density is None:
            mask = (disks(rng, h, w, 6, 3, 7) > 0).astype(np.uint8)
        else:
            mask = (rng.random((h, w)) < density).astype(np.uint8)
            mask.flat[rng.integers(0, h * w)] = 0
        edt.append({'width': w, 'height': h, 'mask': flat(mask),
                    'distances': flat(ndimage.distance_transform_edt(mask))})
    golden['edt'] = edt

    # Connected components.
    cc = []
    for (h, w, density) in [(20, 24, 0.55), (12, 9, 0.45)]:
        mask = (rng.random((h, w)) < density).astype(np.uint8)
        l4, n4 = ndimage.label(mask)
        l8, n8 = ndimage.label(mask, structure=np.ones((3, 3)))
        cc.append({'width': w, 'height': h, 'mask': flat(mask), 'labels4': flat(l4), 'count4': int(n4),
                   'labels8': flat(l8), 'count8': int(n8)})
    golden['components'] = cc

    # Percentiles.
    u16 = rng.integers(30000, 37000, size=3001).astype(np.uint16)
    f32 = rng.normal(size=1501).astype(np.float32)
    golden['percentiles'] = [
        {'dtype': 'uint16', 'data': flat(u16), 'pcts': [1, 99.8, 2, 98],
         'values': flat(np.percentile(u16.astype(np.float64), [1, 99.8, 2, 98]))},
        {'dtype': 'float32', 'data': flat(f32), 'pcts': [1, 99.8, 2, 98],
         'values': flat(np.percentile(f32.astype(np.float64), [1, 99.8, 2, 98]))},
    ]

    # Label comparisons on generated crops: EM-like (membranes, truth 0 on them) and touching cells.
    h, w = 32, 32
    em_truth = disks(rng, h, w, 9, 4, 9, touching=False)
    cells_truth = disks(rng, h, w, 7, 3, 7, touching=True)
    cases = []

    def add(name, truth, pred):
        are, prec, rec = adapted_rand_error(truth, pred)
        vi_all = variation_of_information(truth, pred, ignore_labels=())
        vi_fg = variation_of_information(truth, pred, ignore_labels=(0,))
        cases.append({
            'name': name, 'width': w, 'height': h, 'truth': flat(truth), 'pred': flat(pred),
            'skimage': {'adaptedRandError': float(are), 'precision': float(prec), 'recall': float(rec),
                        'viAll': flat(vi_all), 'viForeground': flat(vi_fg)},
            'isbi': isbi_scores(truth, pred),
            'seg': seg(truth, pred),
            'matching': [stardist_matching(truth, pred, t) for t in (0.3, 0.5, 0.7)],
        })

    for base_name, truth in [('em', em_truth), ('cells', cells_truth)]:
        add(base_name + '-perfect', truth, truth.copy())
        # Merge: the two largest objects get one label.
        sizes = np.bincount(truth.ravel())
        sizes[0] = 0
        a, b = np.argsort(sizes)[-2:]
        merged = truth.copy()
        merged[merged == b] = a
        add(base_name + '-merge', truth, merged)
        # Split: the largest object is cut in two by columns.
        split = truth.copy()
        ys, xs = np.nonzero(truth == a)
        mid = int(np.median(xs))
        split[(truth == a) & (np.arange(w)[None, :] > mid)] = truth.max() + 1
        add(base_name + '-split', truth, split)
        # Eroded prediction: predicted 0 inside truth objects.
        eroded = np.where(ndimage.minimum_filter(truth, 3) == ndimage.maximum_filter(truth, 3), truth, 0)
        add(base_name + '-eroded', truth, eroded)
        # Noisy relabelling: shifted by one pixel, some random labels.
        shifted = np.roll(truth, 1, axis=1)
        noise = rng.random((h, w)) < 0.05
        shifted[noise] = rng.integers(0, truth.max() + 3, size=int(noise.sum()))
        add(base_name + '-noisy', truth, shifted)
    golden['labelComparisons'] = cases

    # Weight maps on touching and separated cells.
    wms = []
    for (name, inst) in [('touching', cells_truth), ('membranes', em_truth)]:
        cls = np.where(inst > 0, 2, 1).astype(np.uint8)
        cls[0, :3] = 0  # a few unlabeled pixels
        wms.append({'name': name, 'width': w, 'height': h, 'classMap': flat(cls), 'instances': flat(inst),
                    'w0': 10.0, 'sigma': 5.0, 'weights': flat(weight_map(cls, inst))})
    golden['weightMaps'] = wms

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(golden, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', os.path.normpath(OUT), os.path.getsize(OUT), 'bytes')


if __name__ == '__main__':
    main()
