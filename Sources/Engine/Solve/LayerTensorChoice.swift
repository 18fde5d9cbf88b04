import ModelKit
/// Picks the tensor a layer solve reads from a file: the one asked for, else the file's only tensor, else
/// the conventional name; and checks its dtype.
enum LayerTensorChoice {
    static func name(in file: SafetensorsFile, requested: String?, defaultName: String,
                     allowed: [SafetensorsDType]) throws -> String {
        let path = file.url.path
        let name: String
        if let requested {
            name = requested
        } else if file.tensors.count == 1 {
            name = file.tensors[0].name
        } else if file.contains(defaultName) {
            name = defaultName
        } else if file.tensors.isEmpty {
            throw LayerSolveError.noTensors(file: path)
        } else {
            throw LayerSolveError.ambiguousTensor(file: path, defaultName: defaultName, available: file.tensors.map(\.name).sorted())
        }
        let info = try file.info(name)
        guard allowed.contains(info.dtype) else {
            throw LayerSolveError.unsupportedDType(file: path, tensor: name, dtype: info.dtype.rawValue, allowed: allowed.map(\.rawValue))
        }
        return name
    }
}
