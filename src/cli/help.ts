/** The command line's usage, kept apart from the engine so that `--help` loads nothing else. */

export const USAGE = 'usage: jak-readiness <bundle.json> [--now YYYY-MM-DD] [--therapy <id>] [--format json|text] [--patient <id>] [--config <site.json>] | jak-readiness worklist <folder> [options] | jak-readiness backend-key <name> | jak-readiness --help';

export const HELP = `jak-readiness: readiness to start a JAK inhibitor for eczema, from FHIR R4 data.

One patient (a FHIR Bundle file):
  jak-readiness <bundle.json> [options]
    --now YYYY-MM-DD        day of the assessment (default: today)
    --therapy <id>          oral (default), abrocitinib, upadacitinib, baricitinib,
                            topical, ruxolitinib-cream, delgocitinib-cream
    --format json|text      the report as JSON (default) or as a readable note
    --patient <id>          which patient, when the bundle holds several
    --config <site.json>    site settings (windows and thresholds)

A clinic worklist (one row per patient) from a FHIR Bulk Data export:
  jak-readiness worklist <folder> [options]
  jak-readiness worklist --fhir <base URL> --group <id> --client-id <id> --key <private.jwk.json> [options]
    --format csv|json|html  csv (default), json (an array), or a printable html page
    --out <file>            write there instead of standard output
    --now, --therapy, --config  as above
    --client-id <id>        the client id the EHR registered (SMART Backend Services)
    --key <file>            the client's private JWK (RS384 or ES384), whose public key the EHR holds
    --types <T1,T2,…>       types to export (default: those the server's CapabilityStatement
                            lists of Patient, Condition, Observation, MedicationRequest,
                            MedicationStatement, Medication, Immunization); a type left out
                            makes what depends on it "could not check"
    --scope <scopes>        scopes to ask for (default: system/<type>.read for each type asked)
    --download-dir <folder> keep the downloaded export there (default: a temporary folder)
    --max-wait <minutes>    give up on the server's export after this long (default 60),
                            retries of passing faults and 429 waits included
    --workers <n>           worker threads (default: one per CPU core)

A key pair for SMART Backend Services (register the public key set with the EHR):
  jak-readiness backend-key <name> [--alg ES384|RS384]

  jak-readiness --help      this text

Exit status: 0 done; 1 failed (a server refused, the export failed, an unexpected error);
2 bad input (one line on standard error); 3 worklist written but the export was incomplete
(rows it may touch say "could not check"); 130 stopped during an export (the job is cancelled).
`;
