// Brandfonbrener et al.'s 529-run sweep (datasets/kempner/SOURCE.md) as the tests read it.

/** The run table. */
export const SWEEP = 'datasets/kempner/runs.csv';
/** Its columns of N, D and C, then its own validation loss (the flags every analysis of it takes). */
export const SWEEP_RUNS = ['--params', 'params', '--tokens', 'tokens', '--flops', 'iso_flop'];
export const SWEEP_LOSS = [...SWEEP_RUNS, '--loss', 'loss_val_own'];
/** The skills of docs/skills.md's worked example: knowledge QA (MMLU ×4, ARC ×2, SciQ, OpenBookQA) and code. */
export const KNOWLEDGE =
  'loss_task_mmlu_humanities,loss_task_mmlu_other,loss_task_mmlu_social_sciences,loss_task_mmlu_stem,loss_task_arc_easy,loss_task_arc_challenge,loss_task_sciq,loss_task_openbook_qa';
export const CODE = 'loss_task_imbue_code_comprehension,loss_task_imbue_codegen';
