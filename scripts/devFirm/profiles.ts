// Directory profiles for the dev firm: the typical record the gas benchmark measures and the tests
// start from (a name, three skills, on site in Montréal with coordinates, a 50 km radius and an https
// contact), and a builder that fills the fields a caller leaves out.
import type { ContractFunctionArgs } from "viem";
import type { directoryAbi } from "../../contracts/abi.ts";
import { WorkMode } from "./enums.ts";

/** IDirectory.ProfileFields, as viem takes it. */
export type ProfileFields = ContractFunctionArgs<typeof directoryAbi, "nonpayable", "setProfile">[0];

/** A typical record: every field set, coordinates rounded to 0.01° (about 1.1 km). */
export const TYPICAL_PROFILE: ProfileFields = {
  displayName: "Camille Tremblay",
  skills: ["voip", "m365", "networking"],
  workMode: WorkMode.OnSite,
  region: "CA-QC",
  city: "Montréal",
  hasCoordinates: true,
  latitudeE2: 4550,
  longitudeE2: -7357,
  radiusKm: 50,
  contactUrl: "https://camille.example.com/contact",
};

/** {@link TYPICAL_PROFILE} with `changes` applied. */
export function profileFields(changes: Partial<ProfileFields> = {}): ProfileFields {
  return { ...TYPICAL_PROFILE, ...changes };
}
