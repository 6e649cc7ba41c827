#!/usr/bin/env bash
# The whole training recipe in one command: build the labeled corpus from ../shared/data,
# train the model into models/, and evaluate it on the held-out split.
#
#   bash training/run.sh            # from the repo root (or anywhere: it cd's to the repo)
#   SEED=7 bash training/run.sh     # another seed
#
# Environment: DATA (default ../shared/data), OUT (default corpus-out), SEED (default 42),
# TEXT_MODELS (optional: reuse trained text models, a JSON from examples/train_text_models.rs or
# a model folder, instead of training them again, which takes 10-35 minutes here; twice, as the
# spam model learns from a second set that never saw the training pages' headlines and ads),
# FEATURE_TEXT_MODELS (optional, with TEXT_MODELS: that second set, from
# `examples/train_text_models.rs -- --features`).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=${DATA:-../shared/data}
OUT=${OUT:-corpus-out}
SEED=${SEED:-42}

if [ ! -d "$DATA/pages" ]; then
    echo "training/run.sh: no $DATA/pages; the recipe needs the shared data (see training/README.md)" >&2
    exit 1
fi

cargo build --release -p pagescore-training -p pagescore

echo "== 1/3 build corpus ($DATA -> $OUT, seed $SEED)"
start=$(date +%s)
target/release/build-corpus --data "$DATA" --out "$OUT" --seed "$SEED"
echo "corpus built in $(( $(date +%s) - start ))s"

echo "== 2/3 train (-> models/)"
start=$(date +%s)
target/release/pagescore train --data "$DATA" --corpus "$OUT/train.jsonl" --test "$OUT/test.jsonl" \
    --out models/ --seed "$SEED" ${TEXT_MODELS:+--text-models "$TEXT_MODELS"} \
    ${FEATURE_TEXT_MODELS:+--feature-text-models "$FEATURE_TEXT_MODELS"}
echo "trained in $(( $(date +%s) - start ))s"

echo "== 3/3 eval on the held-out split (sources and templates not seen in training)"
target/release/pagescore eval --corpus "$OUT/test.jsonl" --model models/

# the binary embeds models/ at build time: rebuild so `pagescore score` uses the new model
cargo build --release -p pagescore
