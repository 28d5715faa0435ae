/**
 * scalewise/node — the Node side of the library: reading run tables from files, the environment the
 * analyses' `run` takes on Node (files relative to a folder, bootstraps on worker threads), and figures to
 * SVG and PNG. The numeric core (`scalewise`) needs none of it; a browser passes its own.
 */
export { readTable, readTables } from '../data/read.js';
export { nodeEnv, type NodeEnvOptions } from './env.js';
export { runBootstrap, type PoolOptions } from './bootstrap-pool.js';
export { svgDocument, svgText, renderPng, writeFigures } from './render.js';
