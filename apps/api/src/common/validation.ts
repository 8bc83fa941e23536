import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '@qmfz/contracts';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, type ValidationOptions } from 'class-validator';
import { AppException } from './app-exception.js';
import { isShanghaiDate } from './shanghai-dates.js';
import { isMultilineText, isPlainText } from './text.js';

/** Chinese wording for the class-validator constraints we use. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  whitelistValidation: '不允许的字段',
  isString: '必须是文本',
  isNotEmpty: '不能为空',
  maxLength: '过长',
  minLength: '过短',
  isIn: '取值不在允许范围内',
  isInt: '必须是整数',
  min: '过小',
  max: '过大',
  matches: '格式不正确',
  isBoolean: '必须是 true 或 false',
  isPlainText: '不能包含换行、制表符等控制字符',
};

const LABEL_KEY = Symbol('qmfz:label');

/** What people call this request field, for the Chinese message; `details[].field` keeps the machine name. */
export function Label(label: string): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(LABEL_KEY, label, target, property);
}

function labelOf(error: ValidationError): string | undefined {
  const prototype = error.target ? Object.getPrototypeOf(error.target) : undefined;
  return prototype ? Reflect.getMetadata(LABEL_KEY, prototype, error.property) : undefined;
}

/** A single-line text: no control characters. */
export function IsPlainText(options?: ValidationOptions) {
  return ValidateBy({ name: 'isPlainText', validator: { validate: (value) => typeof value !== 'string' || isPlainText(value) } }, options);
}

/** Text of several lines (a reply): line breaks and tabs, no other control character. The rule of `isMultilineText`. */
export function MultilineText() {
  return ValidateBy({ name: 'isPlainText', validator: { validate: (value) => typeof value !== 'string' || isMultilineText(value) } });
}

/**
 * At most `max` UTF-16 code units. class-validator's MaxLength counts an emoji as one character and does not count
 * a variation selector after a character at all, so text within it can still overflow a `varchar(max)` column (or
 * the ciphertext column sized for it). A code unit is never less than a code point, so this always fits.
 */
export function MaxChars(max: number, options?: ValidationOptions) {
  return ValidateBy({ name: 'maxLength', validator: { validate: (value) => typeof value !== 'string' || value.length <= max } }, options);
}

/** Surrounding spaces are never part of a note, a name or a reason. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A Shanghai calendar date, `2026-11-01`, that exists. */
export function ShanghaiDate() {
  return ValidateBy({ name: 'isShanghaiDate', validator: { validate: (value) => isShanghaiDate(value), defaultMessage: () => '格式不正确' } });
}

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    // A labelled field reads as Chinese ("邀请码不能为空"); any other (an unknown one) is named as sent.
    const label = labelOf(error) ?? `${field} `;
    const own = Object.keys(error.constraints ?? {}).map((constraint) => ({
      field,
      message: `${label}${CONSTRAINT_MESSAGES[constraint] ?? '不符合要求'}`,
    }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}

const NOT_AN_OBJECT = '请求内容必须是一个 JSON 对象';

export function notAnObject(): AppException {
  return new AppException(ErrorCode.VALIDATION_FAILED, HttpStatus.BAD_REQUEST, NOT_AN_OBJECT, [{ field: '', message: NOT_AN_OBJECT }]);
}

/** Refuses a JSON body that is an array, string, number, boolean or null before it reaches a DTO. */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const wrongShape = value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value));
    if (metadata.type === 'body' && wrongShape && this.toValidate(metadata)) {
      throw notAnObject();
    }
    return super.transform(value, metadata);
  }
}

/** The one shape of a refused body: VALIDATION_FAILED, every problem in the message and per field. */
export function validationFailed(details: { field: string; message: string }[]): AppException {
  const message = '提交的内容不符合要求：' + details.map((d) => d.message).join('；');
  return new AppException(ErrorCode.VALIDATION_FAILED, HttpStatus.BAD_REQUEST, message, details);
}

/** Global pipe: unknown fields and wrong types are refused, never stripped silently. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // One problem per field: a number sent for a text field is "not text", not also "too long".
    stopAtFirstError: true,
    // The target (the DTO) is read for field labels only; values never reach a message or the response.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

/** A required, trimmed-by-the-client, non-empty string of bounded length. */
export function RequiredText(maxLength: number, example?: string) {
  return applyDecorators(ApiProperty({ maxLength, example }), IsString(), IsNotEmpty(), MaxLength(maxLength), IsPlainText());
}

export function OptionalText(maxLength: number) {
  return applyDecorators(ApiPropertyOptional({ maxLength }), IsOptional(), IsString(), IsNotEmpty(), MaxLength(maxLength), IsPlainText());
}

export function OneOf(values: readonly string[], required = true) {
  const doc = required ? ApiProperty({ enum: values }) : ApiPropertyOptional({ enum: values });
  return applyDecorators(doc, ...(required ? [] : [IsOptional()]), IsString(), IsIn(values as string[]));
}

export function OptionalInt(min: number, max: number) {
  return applyDecorators(ApiPropertyOptional({ minimum: min, maximum: max }), IsOptional(), IsInt(), Min(min), Max(max));
}

/** Ids are ULIDs generated by the server. */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export function OptionalId() {
  return applyDecorators(ApiPropertyOptional({ pattern: ULID_PATTERN.source }), IsOptional(), IsString(), Matches(ULID_PATTERN));
}
