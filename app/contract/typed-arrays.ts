import { Kind, Type, TypeRegistry, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** Typed arrays travel as themselves over IPC and worker ports; the schema checks the class. */
type TypedArrayName = 'Float32Array' | 'Float64Array' | 'Int32Array';
type TypedArrayOf<N extends TypedArrayName> = N extends 'Float32Array'
  ? Float32Array
  : N extends 'Float64Array'
    ? Float64Array
    : Int32Array;

const constructors = { Float32Array, Float64Array, Int32Array } as const;

function typedArray<N extends TypedArrayName>(name: N): TUnsafe<TypedArrayOf<N>> {
  if (!TypeRegistry.Has(name)) {
    TypeRegistry.Set(name, (_schema: TSchema, value: unknown) => value instanceof constructors[name]);
  }
  return Type.Unsafe<TypedArrayOf<N>>({ [Kind]: name, type: 'array', description: name });
}

export const Float32ArrayT = typedArray('Float32Array');
export const Float64ArrayT = typedArray('Float64Array');
export const Int32ArrayT = typedArray('Int32Array');
