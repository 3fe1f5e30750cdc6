#!/usr/bin/python3
"""The shared PyTorch reference U-Net (../shared/tools/torch-reference/unet_reference.py) with a recipe
for fully annotated instance masks of any size, such as DSB 2018's nuclei. The reference knows ISBI 2012
and DIC-HeLa only; its network, augmentation, loss, optimiser and prediction are used unchanged.

The recipe, as the reference's DIC-HeLa one without partial masks:
  - targets: touching instances parted by a 1-px background gap, which the border term weights up
    (w0 = 10, sigma = 5 px); balanced class weights over all images;
  - images: the first channel, normalised per image (as the reference does);
  - post-processing: connected components of p >= 0.5, holes filled, the 1-px rim given back, and
    components under MIN_SIZE px dropped (the reference's 100 px would drop DSB's small nuclei,
    whose median area is under 70 px on some images).
Images of different sizes are kept as a list (the reference stacks them).

  REF_SCRIPT=.../unet_reference.py REF_DATA=DATA_DIR python3 torch_reference_nuclei.py prep nuclei
  ... train nuclei --tile 316 --base 16 --budget 720 --out RUNDIR --train-idx 0,1,...
  ... predict RUNDIR/model.pt IMG_DIR PRED_DIR --dataset nuclei [--tta]
"""
import argparse, functools, glob, importlib.util, json, os
import numpy as np

MIN_SIZE = 16  # px: a 4 x 4 speck; DSB's smallest annotated nuclei are larger

spec = importlib.util.spec_from_file_location("unet_reference", os.environ["REF_SCRIPT"])
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
ref.DATA["nuclei"] = os.path.abspath(os.environ["REF_DATA"])
# The prepared arrays differ in size, so they are saved as object arrays, which np.load must be let read.
ref.np.load = functools.partial(np.load, allow_pickle=True)


def prep(ds):
    imgs = sorted(glob.glob(os.path.join(ref.DATA[ds], "images", "*")))
    names = [os.path.basename(p) for p in imgs]
    X = [ref.normalise(ref.load(p)) for p in imgs]
    FG, BT = [], []
    for p, x in zip(imgs, X):
        # The DIC-HeLa targets (touching instances parted by a 1-px gap); no texture counts as an
        # unannotated cell, since these masks are complete.
        fg, lab, _ = ref.targets_dic(ref.load(p.replace("/images/", "/masks/")), x, tex_thr=np.inf)
        FG.append(fg); BT.append(ref.border_term(lab))
    f_fg = sum(float(fg.sum()) for fg in FG) / sum(fg.size for fg in FG)  # pooled over all pixels
    wc = np.array([0.5 / (1 - f_fg), 0.5 / f_fg], np.float32)
    W = [np.where(fg, wc[1], wc[0]).astype(np.float32) + bt for fg, bt in zip(FG, BT)]
    as_objects = lambda arrays: np.array(arrays + [None], dtype=object)[:-1]  # never a stacked array
    os.makedirs(os.path.join(ref.HERE, "cache"), exist_ok=True)
    np.savez(os.path.join(ref.HERE, "cache", ds + ".npz"), X=as_objects(X), Y=as_objects([fg.astype(np.uint8) for fg in FG]),
             W=as_objects(W), names=np.array(names), wc=wc)
    print(json.dumps(dict(ds=ds, n=len(X), fg_frac=f_fg, wc=wc.tolist())))


shared_postprocess = ref.postprocess
# Instances, whatever the data set is called, with this recipe's minimum size.
ref.postprocess = lambda prob, ds: shared_postprocess(prob, "instances", min_size=MIN_SIZE)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest="cmd", required=True)
    p = sp.add_parser("prep"); p.add_argument("dataset")
    p = sp.add_parser("train"); p.add_argument("dataset"); p.add_argument("--tile", type=int, default=572)
    p.add_argument("--base", type=int, default=16); p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--budget", type=float, default=720); p.add_argument("--out", required=True)
    p.add_argument("--train-idx", default=""); p.add_argument("--ckpt-at", default=""); p.add_argument("--seed", type=int, default=0)
    p = sp.add_parser("predict"); p.add_argument("model"); p.add_argument("img_dir"); p.add_argument("pred_dir")
    p.add_argument("--dataset", required=True); p.add_argument("--tta", action="store_true"); p.add_argument("--save-prob", action="store_true")
    a = ap.parse_args()
    {"prep": lambda: prep(a.dataset), "train": lambda: ref.cmd_train(a), "predict": lambda: ref.cmd_predict(a)}[a.cmd]()
