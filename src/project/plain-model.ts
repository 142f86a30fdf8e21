import type { CallSite, FileModel, ServiceDef, SleepSite } from "../model/types.js";

/** A copy of a model without syntax handles, small enough to keep for every file of a project. */
export function plainModel(model: FileModel<unknown>): FileModel {
  return {
    file: model.file,
    usesRestate: model.usesRestate,
    services: model.services.map(plainService),
    descriptors: model.descriptors,
    calls: model.calls.map(plainCall),
    sleeps: model.sleeps.map(plainSleep),
    imports: model.imports,
    exports: model.exports,
    reexports: model.reexports,
    starExports: model.starExports,
    constants: model.constants,
  };
}

function plainService(s: ServiceDef<unknown>): ServiceDef {
  return { ...s, node: undefined, handlers: s.handlers.map((h) => ({ ...h, node: undefined })) };
}

function plainCall(c: CallSite<unknown>): CallSite {
  return { ...c, node: undefined, targetNode: undefined, options: { ...c.options, node: undefined } };
}

function plainSleep(s: SleepSite<unknown>): SleepSite {
  return { ...s, node: undefined };
}
