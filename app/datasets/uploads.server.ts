import { randomUUID } from "node:crypto";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import {
  type AppLoadContext,
  MaxPartSizeExceededError,
  type NodeOnDiskFile,
  unstable_createFileUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { schema } from "../../db/index.ts";
import { ACCEPTED_EXTENSIONS } from "./accepted-files.ts";

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Streams one uploaded file to the data directory, refusing early (before reading the body) when Content-Length is over
 * the limit, and while streaming when a body without length grows past it.
 */
export async function receiveUpload(request: Request, context: AppLoadContext, userId: string) {
  const limit = context.services.config.uploadMaxBytes;
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > limit + 64 * 1024) {
    throw new UploadError(`The file is too large: uploads are limited to ${mb(limit)}.`, 413);
  }
  const dir = path.join(context.services.config.dataDir, "uploads", randomUUID());
  mkdirSync(dir, { recursive: true });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      request,
      unstable_createFileUploadHandler({
        directory: dir,
        maxPartSize: limit,
        avoidFileConflicts: false,
        file: ({ filename }) => path.basename(filename),
      }),
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if (error instanceof MaxPartSizeExceededError)
      throw new UploadError(`The file is too large: uploads are limited to ${mb(limit)}.`, 413);
    throw error;
  }
  const file = form.get("file") as NodeOnDiskFile | null;
  if (!file || typeof file === "string" || file.size === 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new UploadError("Choose a non-empty CSV or Excel (.xlsx) file to upload.", 400);
  }
  const name = path.basename(file.name);
  const ext = path.extname(name).toLowerCase();
  if (!(ACCEPTED_EXTENSIONS as readonly string[]).includes(ext)) {
    rmSync(dir, { recursive: true, force: true });
    throw new UploadError(`${name}: only CSV (.csv, .tsv, .txt), Excel (.xlsx) and ADX (.xml) files can be imported.`, 415);
  }
  const storedPath = path.join(dir, `source${ext}`);
  const sizeBytes = file.size;
  renameSync(file.getFilePath(), storedPath);
  const id = randomUUID();
  context.services.database.db.insert(schema.uploads).values({ id, userId, fileName: name, storedPath, sizeBytes }).run();
  return id;
}

export function findUpload(context: AppLoadContext, id: string, userId: string) {
  return context.services.database.db
    .select()
    .from(schema.uploads)
    .where(and(eq(schema.uploads.id, id), eq(schema.uploads.userId, userId)))
    .get();
}

export function uploadKind(fileName: string): "csv" | "excel" | "adx" {
  const ext = path.extname(fileName).toLowerCase();
  return ext === ".xlsx" ? "excel" : ext === ".xml" ? "adx" : "csv";
}
