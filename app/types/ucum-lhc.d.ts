/** The part of @lhncbc/ucum-lhc we use (the package ships no types). */
declare module "@lhncbc/ucum-lhc" {
  interface ConvertResult {
    status: "succeeded" | "failed" | "error";
    toVal: number;
    msg: string[];
  }
  interface ValidateResult {
    status: "valid" | "invalid" | "error";
    ucumCode: string | null;
    unit?: { code: string; name: string; guidance?: string };
    msg: string[];
    suggestions?: { units: [string, string, string][] }[];
  }
  interface UcumLhcUtils {
    validateUnitString(unit: string, suggest?: boolean): ValidateResult;
    convertUnitTo(from: string, value: number, to: string, options?: { molecularWeight?: number }): ConvertResult;
  }
  const ucum: { UcumLhcUtils: { getInstance(): UcumLhcUtils } };
  export default ucum;
}
