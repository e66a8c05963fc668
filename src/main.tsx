// The production entry: wiring only. The site's settings decide how far back labs are searched.
import { createAppDeps } from './app-deps';
import { labLookbackDays } from './engine/config';
import { loadPatientData, type LoadedData } from './fhir/loader';
import { retryFailedSearches } from './fhir/retry-load';
import { mountApp } from './ui/mount';

mountApp(
  createAppDeps(
    (client, config, asOf) => loadPatientData(client, { asOf, lookbackDays: labLookbackDays(config), newestOlderResults: true, savedMarks: true }),
    // "Try again" hands back the load it was given: the loader's own result, with its per-search statuses.
    (client, config, asOf, previous) =>
      retryFailedSearches(client, previous as LoadedData, { asOf, lookbackDays: labLookbackDays(config), newestOlderResults: true }),
  ),
);
