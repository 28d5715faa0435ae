#!/usr/bin/env bash
# Writes what the README's commands print (text and --json, stdout and stderr), their --plot figures, a saved
# fit and the demo report into OUT, so two trees can be compared byte for byte (diff -r OUT1 OUT2).
# Usage: scripts/snapshot-outputs.sh OUT   (after npm run build)
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:?usage: scripts/snapshot-outputs.sh OUT}")
rm -rf "$out" && mkdir -p "$out"
bin="node $PWD/dist/src/cli/$( [ -f dist/src/cli/bin.js ] && echo bin || echo main ).js"
KNOW=loss_task_mmlu_humanities,loss_task_mmlu_other,loss_task_mmlu_social_sciences,loss_task_mmlu_stem,loss_task_arc_easy,loss_task_arc_challenge,loss_task_sciq,loss_task_openbook_qa
CODE=loss_task_imbue_code_comprehension,loss_task_imbue_codegen
# name | folder to run in | arguments
cases=(
  "fit-epoch|datasets|fit chinchilla/epoch_chinchilla_points.csv --params N_params --tokens D_tokens --loss loss --where in_epoch_fit=1 --grid hoffmann --bootstrap 4000 --seed 42 --budget 5.88e+23,1e+24,1e+25"
  "fit-gadre|.|fit datasets/overtraining/models.csv --law overtrain --params params --tokens tokens --loss loss_c4_val --where dataset=redpajama --fit-where default_fit_loss=1 --target-where default_target=1 --error err_avg17 --error-fit-where default_fit_error=1 --objective mse --bootstrap 1000 --seed 1 --save OUT/rpj.json"
  "predict|.|predict --fit OUT/rpj.json --c 1e22,1e23 --m 20,160"
  "fit-kempner-holdout|.|fit datasets/kempner/runs.csv --params params --tokens tokens --flops iso_flop --loss loss_val_own --where datamix=fineweb --holdout-top 1 --bootstrap 1000 --seed 1"
  "fit-kempner-kaplan|.|fit datasets/kempner/runs.csv --params params --tokens tokens --flops iso_flop --loss loss_val_own --where datamix=starcoder --holdout-top 1 --law kaplan"
  "fit-asym|.|fit datasets/kempner/runs.csv --params params --tokens tokens --flops iso_flop --loss loss_val_own --where datamix=slimpajama --objective asym --screen 8"
  "isoflop-porian-akima|.|isoflop datasets/porian/isoflop_points.csv --flops flops_budget --params n_params --loss loss --where dataset=rw --group config_id --method akima --noise 0.002 --seed 42"
  "isoflop-porian-parabola|.|isoflop datasets/porian/isoflop_points.csv --flops flops_budget --params n_params --loss loss --where dataset=rw --group config_id --method parabola"
  "isoflop-kempner|.|isoflop datasets/kempner/runs.csv --flops iso_flop --params params --tokens tokens --loss loss_val_own --where datamix=fineweb --bootstrap 200 --seed 1"
  "skills-kempner|.|skills datasets/kempner/runs.csv --flops iso_flop --params params --tokens tokens --skill knowledge=$KNOW --skill code=$CODE --aggregate loss_val_own --group datamix --mix knowledge,code --steps 11 --bootstrap 1000 --seed 1"
  "skills-starcoder|.|skills datasets/kempner/runs.csv --flops iso_flop --params params --tokens tokens --skill knowledge=$KNOW --skill code=$CODE --aggregate loss_val_own --where datamix=starcoder --mix knowledge,code"
  "l2l-starcoder|.|l2l datasets/kempner/runs.csv --x loss_val_own --y loss_val_own --x-where datamix=fineweb_edu --y-where datamix=starcoder --pair-on params,tokens --tokens tokens"
  "l2l-starcoder-refit|.|l2l datasets/kempner/runs.csv --x loss_val_own --y loss_val_own --x-where datamix=fineweb_edu --y-where datamix=starcoder --pair-on params,tokens --tokens tokens --refit-e"
  "l2l-backtest|.|l2l datasets/kempner/runs.csv --x loss_val_own --y loss_val_own --x-where datamix=fineweb_edu --y-where datamix!=fineweb_edu --pair-on params,tokens --compare-by datamix --tokens tokens --flops iso_flop --holdout-top 1 --refit-e --bootstrap 200 --seed 1"
  "l2l-line-data|.|l2l datasets/llm-line/models.csv --x loss_val_fineweb_edu --y loss_task_hellaswag --where loss_val_fineweb_edu!= --compare-by pretraining_data --ex 0 --ey 0"
)
for c in "${cases[@]}"; do
  IFS='|' read -r name dir args <<<"$c"
  args=${args//OUT/$out}
  for mode in text json plot; do
    extra=(); [ $mode = json ] && extra=(--json); [ $mode = plot ] && extra=(--plot "$out/$name.figs")
    [ $name = predict ] && [ $mode = plot ] && continue
    (cd "$dir" && eval "$bin $args ${extra[*]}" >"$out/$name.$mode.out" 2>"$out/$name.$mode.err"; echo "exit $?" >>"$out/$name.$mode.err")
    sed -i "s#$out#OUT#g" "$out/$name.$mode.out" "$out/$name.$mode.err"
  done
done
$bin demo --out "$out/report" >"$out/demo.out" 2>"$out/demo.err"; echo "exit $?" >>"$out/demo.err"
sed -i "s#$out#OUT#g" "$out/demo.out" "$out/demo.err"
echo "wrote $out"
