// `npm run bench` only: the app with the naive loader most SMART apps use, for comparison. Built
// as a separate copy (src/bench/builds.ts swaps this entry in); production builds never see it.
import { createAppDeps } from '../app-deps';
import { mountApp } from '../ui/mount';
import { loadNaively } from './naive-loader';

mountApp(createAppDeps((client) => loadNaively(client)));
