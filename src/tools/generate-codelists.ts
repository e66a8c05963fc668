/**
 * Generates src/kb/generated/value-sets.json, the compact code lists the app ships, from the
 * official VSAC value-set expansions (FHIR ValueSet JSON, see terminology/README.md in the
 * shared material). Run when the value sets change:
 *
 *   npm run codelists -- [path/to/terminology]   (default: ../shared/terminology)
 *
 * Only the sets the rules use are kept, each with its OID, version, expansion date and source,
 * and codes grouped by system. Filters applied here (each written into the output's `filters`):
 * - platelet-count: large-platelet observations are not counts (34167-7, 48386-7, 96354-6).
 * - varicella-zoster -> herpes-zoster: zoster concepts only; chickenpox (B01.*, "varicella") is not
 *   zoster history (clinical/spec.md, herpes-zoster-history).
 * - non-melanoma-skin-cancer (derived): SNOMED concepts of the cancer sets whose display names
 *   basal cell or cutaneous squamous cell carcinoma, so `malignancy-history` can exclude them.
 * - smoking-status: every finding of the three smoking sets classified current/former/never/unknown
 *   by its display (the eCQM "non-user" set holds former-smoker codes, which must count).
 * The app never reads the shared folder: only this script does, at development time.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface ExpansionEntry { system: string; code: string; display?: string; version?: string }
interface ValueSetJson {
  url?: string; version?: string; title?: string; name?: string;
  expansion?: { timestamp?: string; contains?: ExpansionEntry[] };
}
interface ManifestEntry { file: string; oid: string; version: string; title: string; expansion_timestamp: string; source_repo: string; source_commit: string; source_url: string }

/** The value sets the rules use, by the short name of their file. */
const USED_SETS = [
  'hemoglobin-lab-test', 'platelet-count-lab-test', 'wbc-count-lab-test', 'leukocyte-count-lab-test',
  'ast-lab-test', 'ldl-cholesterol', 'pregnancy-test', 'egfr', 'hepatitis-b-surface-antibody-test',
  'tobacco-use-screening',
  'tuberculosis-active', 'hepatitis-b-infection', 'hiv', 'immunocompromised-conditions',
  'venous-thromboembolism', 'myocardial-infarction', 'acute-myocardial-infarction',
  'cerebrovascular-disease-stroke-tia', 'stroke', 'coronary-artery-disease-no-mi',
  'ischemic-heart-disease-or-related', 'hypertension-diagnosis', 'essential-hypertension', 'diabetes',
  'familial-hypercholesterolemia', 'cancer', 'cancer-all-primary-secondary',
  'malignant-neoplasm-lymphatic-hematopoietic', 'leukemia-or-lymphoma', 'pregnant-state', 'pregnancy-broad',
  'breastfeeding', 'ckd-stage-5', 'end-stage-renal-disease', 'liver-disease-moderate-to-severe',
  'chronic-liver-disease', 'liver-disease', 'varicella-zoster', 'mmr-vaccine', 'varicella-vaccine',
  'influenza-laiv-vaccine',
] as const;

const LARGE_PLATELET_CODES = new Set(['34167-7', '48386-7', '96354-6']);
const ZOSTER = /zoster|alphaherpesvirus 3|herpesvirus 3|postherpetic|hutchinson/i;
const NOT_ZOSTER = /varicella(?![- ]zoster)|chickenpox|varicella-zoster virus infection/i;
const NMSC = /basal cell (carcinoma|epithelioma)|epithelioma basal cell|squamous cell carcinoma of (the )?skin|cutaneous squamous cell|squamous cell carcinoma of skin/i;

type SmokingClass = 'current' | 'former' | 'never' | 'unknown';
/** Order matters: "Ex-"/"former" before "smoker"; "non-smoker"/"never" before "smoker". */
const SMOKING_RULES: Array<[RegExp, SmokingClass]> = [
  [/past smoking history unknown|passive smoker/i, 'unknown'],
  [/^ex-|\bex-|former|aggressive ex|intolerant ex|tolerant ex/i, 'former'],
  [/never|non-smoker|non smoker|non-user|does not|nonsmoker/i, 'never'],
  [/smoker|smokes|cigarette|cigar|pipe|tobacco|snuff|chew|e-?cigarette|hookah|trying to give up/i, 'current'],
];

function classifySmoking(display: string): SmokingClass {
  for (const [pattern, cls] of SMOKING_RULES) if (pattern.test(display)) return cls;
  return 'unknown';
}

function main(): void {
  const from = resolve(process.argv[2] ?? join(import.meta.dirname, '../../../shared/terminology'));
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const files = readdirSync(join(from, 'valuesets'));
  const lists: Record<string, unknown> = {};
  const nmsc = new Set<string>();

  const codesBySystem = (entries: ExpansionEntry[]): Record<string, string> => {
    const grouped: Record<string, string[]> = {};
    for (const e of entries) (grouped[e.system] ??= []).push(e.code);
    return Object.fromEntries(Object.entries(grouped).map(([s, codes]) => [s, [...new Set(codes)].sort().join(' ')]));
  };

  for (const name of USED_SETS) {
    const file = files.find((f) => f.startsWith(`${name}__`));
    if (!file) throw new Error(`value set ${name} not found in ${from}`);
    const vs = JSON.parse(readFileSync(join(from, 'valuesets', file), 'utf8')) as ValueSetJson;
    const meta = manifest.find((m) => m.file === `valuesets/${file}`);
    let entries = vs.expansion?.contains ?? [];
    let listName: string = name;
    if (name === 'platelet-count-lab-test') entries = entries.filter((e) => !LARGE_PLATELET_CODES.has(e.code));
    if (name === 'varicella-zoster') {
      listName = 'herpes-zoster';
      entries = entries.filter((e) =>
        e.system.endsWith('icd-10-cm') ? e.code.startsWith('B02') : ZOSTER.test(e.display ?? '') && !NOT_ZOSTER.test(e.display ?? ''),
      );
    }
    if (name === 'cancer' || name === 'cancer-all-primary-secondary') {
      for (const e of entries) if (e.system.includes('snomed') && NMSC.test(e.display ?? '')) nmsc.add(e.code);
    }
    lists[listName] = {
      oid: meta?.oid ?? file.split('__')[1]?.replace(/\.json$/, ''),
      title: meta?.title ?? vs.title,
      version: meta?.version ?? vs.version,
      expansion: meta?.expansion_timestamp ?? vs.expansion?.timestamp,
      source: meta ? `VSAC ${meta.oid} via ${meta.source_repo}@${meta.source_commit.slice(0, 9)}` : 'VSAC',
      codes: codesBySystem(entries),
    };
  }

  const smoking: Record<string, SmokingClass> = {};
  for (const name of ['smoking-status-findings', 'tobacco-user', 'tobacco-non-user']) {
    const file = files.find((f) => f.startsWith(`${name}__`));
    if (!file) throw new Error(`value set ${name} not found`);
    const vs = JSON.parse(readFileSync(join(from, 'valuesets', file), 'utf8')) as ValueSetJson;
    for (const e of vs.expansion?.contains ?? []) smoking[e.code] = classifySmoking(e.display ?? '');
  }

  const output = {
    $comment: 'Generated by src/tools/generate-codelists.ts from official VSAC expansions; do not edit by hand.',
    filters: {
      'platelet-count-lab-test': 'large-platelet observations removed (34167-7, 48386-7, 96354-6)',
      'herpes-zoster': 'from varicella-zoster (2.16.840.1.113883.3.464.1003.110.12.1039): ICD-10-CM B02.* and SNOMED zoster concepts only',
      'non-melanoma-skin-cancer': 'SNOMED concepts of the cancer sets whose display names basal cell or cutaneous squamous cell carcinoma',
      'smoking-status': 'smoking-status-findings (1248.220), tobacco-user (526.3.1170) and tobacco-non-user (526.3.1189), classified by display',
    },
    lists: {
      ...lists,
      'non-melanoma-skin-cancer': {
        oid: null, title: 'Non-melanoma skin cancer (derived from the cancer value sets)', version: null,
        source: 'derived from VSAC 2.16.840.1.113883.3.526.3.1010 and 2.16.840.1.113762.1.4.1111.161',
        codes: { 'http://snomed.info/sct': [...nmsc].sort().join(' ') },
      },
    },
    smokingStatus: smoking,
  };
  const out = join(import.meta.dirname, '../kb/generated/value-sets.json');
  writeFileSync(out, JSON.stringify(output, null, 1) + '\n');
  process.stdout.write(`wrote ${out}: ${Object.keys(output.lists).length} lists, ${Object.keys(smoking).length} smoking codes\n`);
}

main();
