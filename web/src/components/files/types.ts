/** Shapes of the files API (docs/files-api.md), from the generated OpenAPI types. */
import type {
  Endpoints,
  File as ApiFile,
  FileFolder,
  FileLink,
  FileUsage,
  FilesBulk,
  MultipartUpload,
  UploadedPart,
} from "../../lib/api-types";

export type FileItem = ApiFile;
export type Folder = FileFolder;
export type FilePage = Endpoints["GET /api/v1/files"]["response"];
export type LinkResult = FileLink;
export type FilesUsage = FileUsage;
export type UploadPart = UploadedPart;
export type UploadStatus = MultipartUpload;
export type SortKey = NonNullable<Endpoints["GET /api/v1/files"]["query"]["sort"]>;
export type BulkAction = FilesBulk["action"];
