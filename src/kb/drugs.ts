/**
 * Hand-curated drug lists (no official value set covers them; label-facts-and-codes.md §B
 * RxNorm explains why). Each drug is matched by RxNorm code where a verified code exists, and
 * always by ingredient and brand name (whole word, case-insensitive), because EHRs code
 * medications at product level or in other drug vocabularies. Name matches say so in evidence.
 */
import { RXNORM } from './code-sets';

export interface Drug {
  /** Ingredient, in the words a clinician uses. */
  ingredient: string;
  /** Other ingredient spellings and brand names. */
  aliases: string[];
  /** Verified RxNorm codes (ingredient or product), label-facts-and-codes.md §B. */
  rxnorm?: string[];
}

export interface DrugClass {
  id: string;
  label: string;
  drugs: Drug[];
  source: string;
}

const d = (ingredient: string, aliases: string[] = [], rxnorm?: string[]): Drug => ({ ingredient, aliases, ...(rxnorm ? { rxnorm } : {}) });

export const jakInhibitors: DrugClass = {
  id: 'jak-inhibitors', label: 'JAK inhibitors',
  drugs: [
    d('abrocitinib', ['Cibinqo'], ['2591481', '2591487', '2591489', '2591491', '2591493', '2591495']),
    d('upadacitinib', ['Rinvoq'], ['2196894', '2196900', '2590051']),
    d('baricitinib', ['Olumiant'], ['2047241', '2047247', '2205472']),
    d('tofacitinib', ['Xeljanz'], ['2048566', '1741046']),
    d('ruxolitinib', ['Jakafi', 'Opzelura'], ['1193339', '1193331', '1193343', '1193347', '1193351']),
    d('delgocitinib', ['Anzupgo']),
    d('ritlecitinib', ['Litfulo']),
    d('deuruxolitinib', ['Leqselvi']),
    d('fedratinib', ['Inrebic']),
    d('pacritinib', ['Vonjo']),
    d('momelotinib', ['Ojjaara']),
    d('filgotinib', ['Jyseleca']),
  ],
  source: 'clinical/spec.md (match drugs by ingredient and brand); product RxCUIs from openFDA NDC and VSAC (label-facts §B)',
};

export const biologicImmunomodulators: DrugClass = {
  id: 'biologics', label: 'Biologic immunomodulators',
  drugs: [
    d('dupilumab', ['Dupixent']), d('tralokinumab', ['Adbry', 'Adtralza']), d('lebrikizumab', ['Ebglyss']),
    d('nemolizumab', ['Nemluvio']),
    d('adalimumab', ['Humira', 'Amjevita', 'Cyltezo', 'Hadlima', 'Hyrimoz', 'Hulio', 'Idacio', 'Yusimry', 'Yuflyma', 'Simlandi', 'Abrilada']),
    d('etanercept', ['Enbrel', 'Erelzi', 'Eticovo']),
    d('infliximab', ['Remicade', 'Inflectra', 'Renflexis', 'Avsola', 'Ixifi', 'Zymfentra']),
    d('certolizumab', ['Cimzia']), d('golimumab', ['Simponi']),
    d('secukinumab', ['Cosentyx']), d('ixekizumab', ['Taltz']), d('brodalumab', ['Siliq']), d('bimekizumab', ['Bimzelx']),
    d('guselkumab', ['Tremfya']), d('risankizumab', ['Skyrizi']), d('tildrakizumab', ['Ilumya']), d('mirikizumab', ['Omvoh']),
    d('ustekinumab', ['Stelara', 'Wezlana', 'Selarsdi', 'Pyzchiva', 'Otulfi', 'Imuldosa', 'Yesintek', 'Steqeyma']),
    d('abatacept', ['Orencia']), d('rituximab', ['Rituxan', 'Truxima', 'Ruxience', 'Riabni']),
    d('tocilizumab', ['Actemra', 'Tofidence', 'Tyenne']), d('sarilumab', ['Kevzara']), d('anakinra', ['Kineret']),
    d('vedolizumab', ['Entyvio']), d('natalizumab', ['Tysabri']), d('belimumab', ['Benlysta']), d('anifrolumab', ['Saphnelo']),
  ],
  source: 'Labels, limitations of use: not with biologic immunomodulators (Cibinqo Canadian PM; Rinvoq; Olumiant; Opzelura)',
};

export const systemicImmunosuppressants: DrugClass = {
  id: 'systemic-immunosuppressants', label: 'Systemic immunosuppressants',
  drugs: [
    d('cyclosporine', ['ciclosporin', 'Neoral', 'Sandimmune', 'Gengraf'], ['3008', '241834']),
    d('azathioprine', ['Imuran', 'Azasan'], ['1256']),
    d('methotrexate', ['Trexall', 'Otrexup', 'Rasuvo', 'Xatmep', 'Jylamvo', 'RediTrex'], ['6851']),
    d('mycophenolate', ['mycophenolic acid', 'mycophenolate mofetil', 'CellCept', 'Myfortic'], ['200060', '199058', '485020', '485023']),
    d('tacrolimus', ['Prograf', 'Envarsus', 'Astagraf'], ['198377', '198378']),
    d('sirolimus', ['Rapamune']), d('everolimus', ['Zortress']), d('leflunomide', ['Arava']),
    d('cyclophosphamide', ['Cytoxan']), d('voclosporin', ['Lupkynis']),
  ],
  source: 'clinical/spec.md immunosuppressant: systemic cyclosporine, azathioprine, methotrexate, mycophenolate, tacrolimus (not oral corticosteroids)',
};

/** Forms that make a drug local, not systemic (tacrolimus ointment, cyclosporine eye drops...). */
export const LOCAL_FORM = /\b(ointment|cream|topical|ophthalmic|eye|drops?|emulsion|gel|lotion|cutaneous|foam|shampoo|otic|nasal|inhal\w*|dermal|transdermal|patch|vaginal|rectal|enema|suppositor\w*|mouthwash)\b/i;
/**
 * Skin forms: prior topical therapy counts these only (R2.5). Inhaled, nasal, eye, ear, oral and
 * vaginal forms of the same ingredient never count.
 */
export const SKIN_FORM = /\b(cream|ointment|lotion|gel|foam|topical|cutaneous|dermal|scalp|shampoo|paste|spray for the skin|solution for the skin)\b/i;
export const NOT_SKIN_FORM = /\b(inhal\w*|nasal|ophthalmic|eye|otic|ear|oral|mouth\w*|vaginal|rectal|enema|dental|transdermal|patch|injection|tablet|capsule)\b/i;

/** Brands that exist only as local forms. */
export const LOCAL_BRANDS = /\b(protopic|restasis|cequa|vevye|verkazia|elidel|opzelura|anzupgo)\b/i;

export const antiplatelets: DrugClass = {
  id: 'antiplatelets', label: 'Antiplatelet agents',
  drugs: [
    d('clopidogrel', ['Plavix'], ['32968', '309362', '749196']),
    d('prasugrel', ['Effient'], ['855812', '855818']),
    d('ticagrelor', ['Brilinta'], ['1116632', '1116635', '1666332']),
    d('ticlopidine', ['Ticlid']), d('dipyridamole', ['Persantine', 'Aggrenox']), d('cilostazol', ['Pletal']),
    d('vorapaxar', ['Zontivity']),
  ],
  source: 'Cibinqo contraindication: antiplatelet therapy except low-dose aspirin (≤ 81 mg/day) during the first 3 months (label-facts §A ◐)',
};

export const aspirin: Drug = d('aspirin', ['acetylsalicylic acid', 'ASA', 'Ecotrin', 'Bufferin', 'Durlaza'], ['1191']);
export const LOW_DOSE_ASPIRIN_MAX_MG = 81;

export const strongCyp2c19Or2c9Inducers: DrugClass = {
  id: 'strong-cyp2c19-2c9-inducers', label: 'Strong CYP2C19/CYP2C9 inducers',
  drugs: [d('rifampin', ['rifampicin', 'Rifadin', 'Rimactane'], ['9384']), d('apalutamide', ['Erleada']), d('efavirenz', ['Sustiva', 'Atripla', 'Symfi']), d('enzalutamide', ['Xtandi']), d('phenytoin', ['Dilantin', 'Phenytek'])],
  source: 'Cibinqo US PI §7 (avoid): strong CYP2C19/2C9 inducers (label-facts §A ✔)',
};

export const dualCyp2c19And2c9Inhibitors: DrugClass = {
  id: 'cyp2c19-and-2c9-inhibitors', label: 'Moderate-to-strong inhibitors of both CYP2C19 and CYP2C9',
  drugs: [d('fluconazole', ['Diflucan'], ['4450'])],
  source: 'Cibinqo US PI §7 (avoid): moderate-to-strong inhibitors of both CYP2C19 and CYP2C9 (label-facts §A ✔)',
};

export const strongCyp2c19Inhibitors: DrugClass = {
  id: 'strong-cyp2c19-inhibitors', label: 'Strong CYP2C19 inhibitors',
  drugs: [d('fluvoxamine', ['Luvox']), d('fluoxetine', ['Prozac', 'Sarafem']), d('ticlopidine', ['Ticlid'])],
  source: 'Cibinqo US PI §2.5/§7: strong CYP2C19 inhibitors → reduce the dose (label-facts §A ✔)',
};

export const strongCyp3a4Inhibitors: DrugClass = {
  id: 'strong-cyp3a4-inhibitors', label: 'Strong CYP3A4 inhibitors',
  drugs: [
    d('ketoconazole', ['Nizoral'], ['6135']), d('itraconazole', ['Sporanox', 'Tolsura'], ['28031']), d('posaconazole', ['Noxafil']),
    d('voriconazole', ['Vfend']), d('clarithromycin', ['Biaxin'], ['21212']), d('ritonavir', ['Norvir', 'Paxlovid', 'Kaletra']),
    d('cobicistat', ['Tybost', 'Stribild', 'Genvoya', 'Prezcobix', 'Evotaz', 'Symtuza']), d('nefazodone'), d('idelalisib', ['Zydelig']), d('tucatinib', ['Tukysa']),
  ],
  source: 'Rinvoq: strong CYP3A4 inhibitors → 15 mg (label-facts §A ◐); list per FDA strong CYP3A4 inhibitor examples',
};

export const strongCyp3a4Inducers: DrugClass = {
  id: 'strong-cyp3a4-inducers', label: 'Strong CYP3A4 inducers',
  drugs: [d('rifampin', ['rifampicin', 'Rifadin', 'Rimactane'], ['9384']), d('carbamazepine', ['Tegretol', 'Carbatrol', 'Equetro']), d('phenytoin', ['Dilantin', 'Phenytek'])],
  source: 'Rinvoq with strong CYP3A4 inducers: source unverified for Rinvoq (label-facts §A ✖; confirmed for tofacitinib)',
};

export const oat3Inhibitors: DrugClass = {
  id: 'oat3-inhibitors', label: 'OAT3 inhibitors',
  drugs: [d('probenecid', ['Probalan', 'Col-Probenecid'], ['8698'])],
  source: 'Olumiant: probenecid → dose reduction (US 1 mg, EU 2 mg; label-facts §A ✔)',
};

/**
 * Oestrogen-containing contraception and hormone therapy: an additional clot risk (R2.5). Matched by
 * ingredient and brand; progestin-only products are not in the list. Local vaginal oestrogen
 * (cream, tablet, insert, Estring) is left out by form in the rule.
 */
export const oestrogens: DrugClass = {
  id: 'oestrogens', label: 'Oestrogen-containing contraception or hormone therapy',
  drugs: [
    d('estradiol', ['oestradiol', 'ethinyl estradiol', 'ethinylestradiol', 'estradiol valerate', 'Estrace', 'Vivelle', 'Climara', 'Divigel', 'Estrogel', 'Evamist', 'Minivelle', 'Alora', 'Menostar', 'Activella', 'Angeliq', 'Bijuva', 'Combipatch', 'Prefest', 'Natazia', 'Yaz', 'Yasmin', 'Beyaz', 'Safyral', 'Loestrin', 'Lo Loestrin', 'Seasonique', 'Seasonale', 'Lybrel', 'Ortho-Novum', 'Ortho Tri-Cyclen', 'NuvaRing', 'Annovera', 'Xulane', 'Twirla', 'Ortho Evra', 'Femhrt', 'Jinteli', 'Fyavolv', 'Mimvey', 'Amabelz', 'Lopreeza'], ['4083', '4124', '214558']),
    d('conjugated estrogens', ['estrogens, conjugated', 'estrogens conjugated', 'Premarin', 'Prempro', 'Premphase', 'Duavee'], ['4099']),
    d('esterified estrogens', ['estrogens, esterified', 'Menest', 'Covaryx']),
    d('estropipate', ['Ogen', 'Ortho-Est']), d('mestranol'), d('estetrol', ['Nextstellis']), d('estriol'),
  ],
  source: 'clinical/spec.md R2.5 (oestrogen: additional clot risk); RxCUIs estradiol 4083, ethinyl estradiol 4124, conjugated estrogens 4099, EE/levonorgestrel 214558 (label-facts §B ✔)',
};
/** Local vaginal oestrogen: not a systemic clot risk. */
export const LOCAL_VAGINAL_OESTROGEN = /\b(vaginal (cream|tablets?|inserts?)|Vagifem|Yuvafem|Imvexxy|Estring)\b/i;

/** Latent-TB treatment (CDC regimens: 3HP, 4R, 3HR, 6–9H): a completed course means treated latent TB. */
export const latentTbTreatment: DrugClass = {
  id: 'ltbi-treatment', label: 'Latent tuberculosis treatment',
  drugs: [d('isoniazid', ['INH', 'Nydrazid']), d('rifapentine', ['Priftin']), d('rifampin', ['rifampicin', 'Rifadin', 'Rimactane'], ['9384'])],
  source: 'clinical/spec.md R2.2 (completed LTBI course: isoniazid, rifampin, rifapentine); CDC latent TB infection treatment regimens',
};

/** Prior-therapy classes for the decision factors (any status: history matters). */
export const topicalCorticosteroids: DrugClass = {
  id: 'topical-corticosteroids', label: 'Topical corticosteroids',
  drugs: ['hydrocortisone', 'triamcinolone', 'clobetasol', 'betamethasone', 'mometasone', 'fluocinonide', 'fluocinolone', 'desonide', 'desoximetasone', 'halobetasol', 'fluticasone', 'alclometasone', 'diflorasone', 'halcinonide', 'amcinonide', 'clocortolone', 'prednicarbate'].map((n) => d(n)),
  source: 'Article, "From Clinic to Daily Life" (steroid-refractory plaques); topical forms only',
};

export const topicalCalcineurinInhibitors: DrugClass = {
  id: 'topical-calcineurin-inhibitors', label: 'Topical calcineurin inhibitors',
  drugs: [d('tacrolimus', ['Protopic']), d('pimecrolimus', ['Elidel'])],
  source: 'Article decision tree; topical forms only',
};

export const RXNORM_SYSTEM = RXNORM;
