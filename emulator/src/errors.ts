/**
 * The error catalogue: one `ApiError` class carrying a Tencent Cloud error code, and small
 * constructors for the codes the emulator returns from more than one place.
 */

/** An API error returned as `Response.Error` with HTTP 200. */
export class ApiError extends Error {
  constructor(
    /** Tencent Cloud error code, e.g. `InvalidImageId.NotFound`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const missingParameter = (name: string) =>
  new ApiError("MissingParameter", `The request is missing a required parameter \`${name}\`.`);
export const unknownParameter = (name: string) =>
  new ApiError("UnknownParameter", `The parameter \`${name}\` is not recognized.`);
export const invalidParameter = (name: string, expected: string) =>
  new ApiError("InvalidParameter", `The parameter \`${name}\` must be of type ${expected}.`);
export const invalidParameterValue = (message: string) => new ApiError("InvalidParameterValue", message);
export const limitExceeded = (name: string, max: number) =>
  new ApiError("InvalidParameterValue.LimitExceeded", `The number of values in \`${name}\` exceeds the limit of ${max}.`);
export const tooLarge = (name: string, max: number) =>
  new ApiError("InvalidParameterValue.TooLarge", `The length of \`${name}\` exceeds the limit of ${max} characters.`);

export const imageMalformed = (id: string) =>
  new ApiError("InvalidImageId.Malformed", `The ImageId \`${id}\` is malformed.`);
export const imageNotFound = (id: string) => new ApiError("InvalidImageId.NotFound", `ImageId ${id} is not found`);
export const imageIncorrectState = (id: string, state: string) =>
  new ApiError("InvalidImageId.IncorrectState", `The image \`${id}\` is in state ${state}, which does not allow this operation.`);
export const imageNameDuplicate = (name: string) =>
  new ApiError("InvalidImageName.Duplicate", `An image named \`${name}\` already exists in this region.`);
export const imageQuotaExceeded = (quota: number) =>
  new ApiError("ImageQuotaLimitExceeded", `The custom image quota of ${quota} images in this region is used up.`);
export const imageNotOwned = (id: string) =>
  new ApiError("UnauthorizedOperation.ImageNotBelongToAccount", `The image \`${id}\` does not belong to this account.`);
export const imageNotAllowed = (id: string, why: string) =>
  new ApiError("InvalidParameterValue.InvalidImageId", `The image \`${id}\` does not allow this operation: ${why}.`);
export const instanceImageNotSupported = (id: string) =>
  new ApiError("InvalidParameter.InstanceImageNotSupport", `The image \`${id}\` is a whole-instance image, which does not support this operation.`);

export const internalError = () => new ApiError("InternalError", "An internal error occurred.");
