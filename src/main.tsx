// The production entry: wiring only. The site's settings decide how far back labs are searched.
import { createAppDeps } from './app-deps';
import { labLookbackDays } from './engine/config';
import { loadPatientData } from './fhir/loader';
import { mountApp } from './ui/mount';

mountApp(
  createAppDeps((client, config, asOf) =>
    loadPatientData(client, { asOf, lookbackDays: labLookbackDays(config), newestOlderResults: true, savedMarks: true }),
  ),
);
