/** The pure core as one entry point: the app loads it as its own chunk, in parallel with the FHIR data. */
export { buildRecord } from './normalise';
export { assess, preselectTherapy } from './assess';
