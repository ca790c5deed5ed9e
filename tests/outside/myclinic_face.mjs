// The face-XML reception of the open-source clinic system hangilc/myclinic-ts, re-stated check by check
// (its code is not on a package registry, so a test machine cannot obtain it; docs/facexml.md says how
// this re-statement was compared with the original, run unchanged). What it re-states, file by file:
//   packages/frontend/src/lib/onshi-face.ts       parseFaceXml: fast-xml-parser with the same options,
//                                                 ResultList wrapped into an array, OnshiResult.cast
//   packages/onshi-result/*.ts                    the cast checks (which props must be strings, which nested
//                                                 objects/arrays) and every getter, each of which throws on a
//                                                 code outside its table (codes.ts: OQSCD006/012/013 …)
//   packages/frontend/src/lib/onshi-patient.ts    onshiToPatient: name/yomi split, half-width kana to hiragana
//   packages/frontend/src/lib/onshi-hoken.ts      createHokenFromOnshiResult: its refusals are strings
// The XML parser itself is the real one, from npm (fast-xml-parser 4, as myclinic-ts's frontend depends on).
//
// usage: node myclinic_face.mjs OUT.json FILE.xml...   (--as-fixed: also normalise the two list shapes the
// consumer mishandles, see KNOWN_DEFECTS, to show what it reads once those are fixed)
import { readFileSync, writeFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";

const CODES = {
  ReferenceClassification: ["1", "2"],
  SegmentOfResult: ["1", "2", "9"],
  CharacterCodeIdentifier: ["0", "1"],
  ProcessingResultStatus: ["1", "2"],
  QualificationValidity: ["1", "2", "3", "4", "5"], // OQSCD006
  PrescriptionIssueSelect: ["1", "2"],
  InsuredCardClassification: ["01", "02", "03", "04", "05", "06", "07"],
  PersonalFamilyClassification: ["1", "2"],
  Sex1: ["1", "2", "3"],
  Sex2: ["1", "2", "3"],
  PreschoolClassification: ["1"],
  ReasonOfLoss: ["01", "02", "03", "99"],
  LimitApplicationCertificateRelatedConsFlg: ["0", "1"],
  SpecificDiseasesCertificateRelatedConsFlg: ["0", "1", "2"],
  LimitApplicationCertificateClassification: ["01", "02", "03"],
  LimitApplicationCertificateClassificationFlag: [ // OQSCD012
    "A01", "A02", "A03", "A04", "A05", "A06",
    "B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10"],
  SpecificDiseasesDiseaseCategory: ["1", "2", "3"], // OQSCD013
};

const HEADER = { required: ["ProcessExecutionTime", "QualificationConfirmationDate", "MedicalInstitutionCode",
  "ReferenceClassification", "SegmentOfResult", "CharacterCodeIdentifier"],
  optional: ["ArbitraryFileIdentifier", "ErrorCode", "ErrorMessage"],
  coded: ["ReferenceClassification", "SegmentOfResult", "CharacterCodeIdentifier"] };
const BODY = { required: ["ProcessingResultStatus"],
  optional: ["PrescriptionIssueSelect", "ProcessingResultCode", "ProcessingResultMessage", "QualificationValidity"],
  coded: ["QualificationValidity", "ProcessingResultStatus", "PrescriptionIssueSelect"] };
const SEARCH = { required: ["InsurerNumber", "InsuredIdentificationNumber", "Birthdate",
  "LimitApplicationCertificateRelatedConsFlg"], optional: ["InsuredCardSymbol", "InsuredBranchNumber",
  "ArbitraryIdentifier"], coded: ["LimitApplicationCertificateRelatedConsFlg"] };
const PERSON = { required: ["InsuredCardClassification", "Name", "Sex1", "Birthdate", "InsurerName"],
  optional: ["InsurerNumber", "InsuredCardSymbol", "InsuredIdentificationNumber", "InsuredBranchNumber",
    "PersonalFamilyClassification", "InsuredName", "NameOfOther", "NameKana", "NameOfOtherKana", "Sex2", "Address",
    "PostNumber", "InsuredCertificateIssuanceDate", "InsuredCardValidDate", "InsuredCardExpirationDate",
    "InsuredPartialContributionRatio", "PreschoolClassification", "ReasonOfLoss",
    "LimitApplicationCertificateRelatedConsFlg", "LimitApplicationCertificateRelatedConsTime",
    "SpecificDiseasesCertificateRelatedConsFlg", "SpecificDiseasesCertificateRelatedConsTime"],
  coded: ["InsuredCardClassification", "PersonalFamilyClassification", "Sex1", "Sex2", "PreschoolClassification",
    "ReasonOfLoss", "LimitApplicationCertificateRelatedConsFlg", "SpecificDiseasesCertificateRelatedConsFlg"] };
const ELDERLY = { required: [], optional: ["ElderlyRecipientCertificateDate", "ElderlyRecipientValidStartDate",
  "ElderlyRecipientValidEndDate", "ElderlyRecipientContributionRatio"], coded: [] };
const LIMIT = { required: [], optional: ["LimitApplicationCertificateClassification",
  "LimitApplicationCertificateClassificationFlag", "LimitApplicationCertificateDate",
  "LimitApplicationCertificateValidStartDate", "LimitApplicationCertificateValidEndDate",
  "LimitApplicationCertificateLongTermDate"],
  coded: ["LimitApplicationCertificateClassification", "LimitApplicationCertificateClassificationFlag"] };
const DISEASE = { required: [], optional: ["SpecificDiseasesDiseaseCategory", "SpecificDiseasesCertificateDate",
  "SpecificDiseasesValidStartDate", "SpecificDiseasesValidEndDate", "SpecificDiseasesSelfPay"],
  coded: ["SpecificDiseasesDiseaseCategory"] };

// Shapes the consumer refuses although they are what a writer of this format produces (see docs/facexml.md).
export const KNOWN_DEFECTS = {
  "no-result-list": "parseFaceXml wraps a missing ResultList into [undefined], so a file without a result "
    + "(該当資格なし) is refused, though FaceConfirmedWindow has a branch for zero results",
  "single-disease-list": "SpecificDiseasesCertificateList must be a JS array, which fast-xml-parser gives only "
    + "for two or more repeated elements, so a file with one 特定疾病 certificate is refused",
};

class Refused extends Error {
  constructor(stage, message, defect) { super(message); this.stage = stage; this.defect = defect; }
}

function checkShape(obj, spec, where, checked) {
  if (typeof obj !== "object" || obj === null) throw new Refused("cast", `${where} is not an element`);
  for (const name of spec.required) {
    if (typeof obj[name] !== "string") throw new Refused("cast", `${where}/${name} missing or not text`);
    checked.add(`${where}/${name}`);
  }
  for (const name of spec.optional) {
    if (obj[name] !== undefined && typeof obj[name] !== "string") {
      throw new Refused("cast", `${where}/${name} is not text`);
    }
    if (obj[name] !== undefined) checked.add(`${where}/${name}`);
  }
}

function checkCodes(obj, spec, where, checked) { // the getters: each throws "Invalid X: v"
  for (const name of spec.coded) {
    const value = obj[name];
    if (value === undefined && !spec.required.includes(name)) continue;
    if (!CODES[name].includes(value)) throw new Refused("getter", `Invalid ${name}: ${value}`);
    checked.add(`${where}/${name}`);
  }
}

function isDate(text) { return text === undefined || /^\d{8}$/.test(text); } // the consumer slices YYYYMMDD

function toHiragana(kana) { // convertHankakuKatakanaToZenkakuHiragana: NFKC, then katakana -> hiragana
  return [...kana.normalize("NFKC")].map((c) => {
    const code = c.codePointAt(0);
    return code >= 0x30a1 && code <= 0x30f3 ? String.fromCodePoint(code - 0x60) : c;
  }).join("");
}

function sqlDate(s) { // onshiDateToSqlDate: slices, pads each part with "0" to two digits
  const pad = (t) => t.padStart(2, "0");
  return `${s.substring(0, 4)}-${pad(s.substring(4, 6))}-${pad(s.substring(6, 8))}`;
}

function splitAt(text, ...separators) {
  for (const sep of separators) {
    const i = text.indexOf(sep);
    if (i > 0) return [text.substring(0, i), text.substring(i + 1)];
  }
  return [text, ""];
}

export function readFace(xml, { asFixed = false } = {}) {
  const checked = new Set();
  const parser = new XMLParser({ numberParseOptions: { leadingZeros: true, hex: false, skipLike: /\d+/ } });
  const json = parser.parse(xml);
  const body0 = json?.XmlMsg?.MessageBody;
  if (asFixed && body0 && (body0.ResultList === undefined || body0.ResultList === "")) body0.ResultList = [];
  if (body0 && !Array.isArray(body0.ResultList)) body0.ResultList = [body0.ResultList];
  const msg = json.XmlMsg;
  if (typeof msg !== "object") throw new Refused("cast", "no XmlMsg");
  checkShape(msg.MessageHeader, HEADER, "MessageHeader", checked);
  const body = msg.MessageBody;
  if (typeof body !== "object") throw new Refused("cast", "no MessageBody");
  checkShape(body, BODY, "MessageBody", checked);
  if (!body.ResultList.every((item) => typeof item === "object" && item !== null)) {
    throw new Refused("cast", "ResultList holds no ResultOfQualificationConfirmation", "no-result-list");
  }
  if (body.QualificationConfirmSearchInfo !== undefined) {
    checkShape(body.QualificationConfirmSearchInfo, SEARCH, "QualificationConfirmSearchInfo", checked);
  }
  const people = body.ResultList.map((item, n) => {
    const where = `ResultOfQualificationConfirmation[${n}]`;
    const person = item.ResultOfQualificationConfirmation;
    checkShape(person, PERSON, where, checked);
    if (person.ElderlyRecipientCertificateInfo !== undefined) {
      checkShape(person.ElderlyRecipientCertificateInfo, ELDERLY, `${where}/ElderlyRecipientCertificateInfo`, checked);
    }
    if (person.LimitApplicationCertificateRelatedInfo !== undefined) {
      checkShape(person.LimitApplicationCertificateRelatedInfo, LIMIT, `${where}/LimitApplicationCertificateRelatedInfo`,
        checked);
    }
    let list = person.SpecificDiseasesCertificateList;
    if (asFixed && list !== undefined && !Array.isArray(list)) {
      const info = list.SpecificDiseasesCertificateInfo;
      list = person.SpecificDiseasesCertificateList = Array.isArray(info) ? info : [info];
    }
    if (list !== undefined) {
      if (!Array.isArray(list)) {
        throw new Refused("cast", "SpecificDiseasesCertificateList is not a list", "single-disease-list");
      }
      list.forEach((d, i) => checkShape(d, DISEASE, `${where}/SpecificDiseasesCertificateInfo[${i}]`, checked));
    }
    return person;
  });
  // OnshiResult is built; now the getters, which the reception screen touches
  checkCodes(msg.MessageHeader, HEADER, "MessageHeader", checked);
  checkCodes(body, BODY, "MessageBody", checked);
  if (body.QualificationConfirmSearchInfo !== undefined) {
    checkCodes(body.QualificationConfirmSearchInfo, SEARCH, "QualificationConfirmSearchInfo", checked);
  }
  const formats = [];
  people.forEach((person, n) => {
    const where = `ResultOfQualificationConfirmation[${n}]`;
    checkCodes(person, PERSON, where, checked);
    if (person.LimitApplicationCertificateRelatedInfo) {
      checkCodes(person.LimitApplicationCertificateRelatedInfo, LIMIT, `${where}/LimitApplicationCertificateRelatedInfo`,
        checked);
    }
    (person.SpecificDiseasesCertificateList ?? []).forEach((d, i) => {
      checkCodes(d, DISEASE, `${where}/SpecificDiseasesCertificateInfo[${i}]`, checked);
    });
    for (const name of ["Birthdate", "InsuredCertificateIssuanceDate", "InsuredCardValidDate",
      "InsuredCardExpirationDate"]) {
      if (!isDate(person[name])) formats.push(`${name} is not YYYYMMDD: ${person[name]}`);
    }
    // consent triplets, which the consumer does not read: flag 0-3 (OQSCD016), times yyyyMMddHHmmss
    for (const [name, value] of Object.entries(person)) {
      if (name.endsWith("ConsFlg")) {
        if (!["0", "1", "2", "3"].includes(value)) formats.push(`${name} is not a consent flag: ${value}`);
        checked.add(`${where}/${name}`);
      } else if (name.endsWith("ConsTime") || name.endsWith("AvailableTime")) {
        if (!/^\d{14}$/.test(value)) formats.push(`${name} is not yyyyMMddHHmmss: ${value}`);
        checked.add(`${where}/${name}`);
      }
    }
  });
  const header = msg.MessageHeader;
  const valid = header.SegmentOfResult === "1" && body.ProcessingResultStatus === "1"
    && body.QualificationValidity === "1" && people.length === 1; // OnshiResult.isValid
  const out = { isValid: valid, results: people.length, formats };
  if (people.length === 1) {
    const p = people[0];
    const [lastName, firstName] = splitAt(p.Name, "　", " ");
    const [lastYomi, firstYomi] = p.NameKana ? splitAt(p.NameKana, " ") : ["", ""];
    out.patient = { lastName, firstName, lastNameYomi: p.NameKana && firstYomi !== "" ? toHiragana(lastYomi) : lastYomi,
      firstNameYomi: toHiragana(firstYomi), sex: p.Sex1 === "1" ? "M" : "F",
      birthday: sqlDate(p.Birthdate) };
    out.hoken = createHoken(p);
    checked.add("onshiToPatient").add("createHokenFromOnshiResult");
  }
  out.fieldsChecked = [...checked];
  return out;
}

function createHoken(p) { // createHokenFromOnshiResult: a string is a refusal shown to staff
  if (p.InsuredCardValidDate === undefined) return { refusal: "保険証の有効期限開始日がありません。" };
  const bangou = p.InsurerNumber ?? "";
  if (bangou === "") return { refusal: "保険者番号が取得できません。" };
  const number = parseInt(bangou);
  if (isNaN(number)) return { refusal: "保険者番号が数値でありません。" + bangou };
  if ((p.InsuredIdentificationNumber ?? "") === "") return { refusal: "被保険者番号が取得できません。" };
  if (Math.floor(number / 1000000) === 39) { // isKoukikourei
    const ratio = p.InsuredPartialContributionRatio;
    if (ratio === undefined) return { refusal: "後期高齢保険の負担割合が取得できません。" };
    return { kind: "Koukikourei", futanWari: parseInt(ratio) / 10 };
  }
  if (p.PersonalFamilyClassification === undefined) return { refusal: "本人・家族の情報が得られませんでした。" };
  const elderly = p.ElderlyRecipientCertificateInfo;
  let koureiStore = 0;
  if (elderly !== undefined) {
    if (elderly.ElderlyRecipientContributionRatio === undefined) {
      return { refusal: "高齢受給者証の負担割合が取得できません。" };
    }
    koureiStore = parseInt(elderly.ElderlyRecipientContributionRatio) / 10;
  }
  return { kind: "Shahokokuho", honninStore: p.PersonalFamilyClassification === "1" ? 1 : 0, koureiStore };
}

function decode(bytes) { // the consumer is handed text; decode as the file's declaration says
  const m = /encoding="([^"]+)"/.exec(bytes.subarray(0, 100).toString("latin1"));
  return new TextDecoder(m ? m[1].toLowerCase() : "utf-8", { fatal: true }).decode(bytes);
}

if (process.argv[1] && process.argv[1].endsWith("myclinic_face.mjs")) {
  const args = process.argv.slice(2);
  const asFixed = args[0] === "--as-fixed";
  const [outFile, ...files] = asFixed ? args.slice(1) : args;
  const report = files.map((file) => {
    try {
      const read = readFace(decode(readFileSync(file)), { asFixed });
      // consumerOk: what myclinic-ts itself decides; ok adds the date checks it does not make (it slices
      // whatever text it gets, so an empty date becomes "-00-00" in the patient record)
      const consumerOk = read.hoken?.refusal === undefined;
      return { file, consumerOk, ok: consumerOk && read.formats.length === 0, ...read };
    } catch (e) {
      return { file, consumerOk: false, ok: false, stage: e.stage ?? "parse", error: String(e.message ?? e),
        defect: e.defect ?? null };
    }
  });
  writeFileSync(outFile, JSON.stringify(report, null, 1));
}
