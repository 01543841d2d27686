// The error for a version that does not exist; it lists the valid ones.
import { AppError } from "../errors.js";

export class UnknownVersionError extends AppError {
  constructor(name: string, version: string, valid: string[]) {
    super(
      "unknown_version",
      valid.length === 0 ? `${name} has no versions` : `${name} has no version ${version}; valid versions: ${valid.join(", ")}`,
      { status: 404, details: { name, version, valid } },
    );
  }
}
