/// The `post_processor` stage: adds special tokens around the ids of a single sequence.
indirect enum PostProcessor: Sendable {
    /// One element of a template: fixed special-token ids, or the sequence itself.
    enum Item: Sendable {
        case special([Int])
        case sequence
    }

    /// `TemplateProcessing`, `BertProcessing` and `RobertaProcessing`, reduced to the single-sequence template.
    case template([Item])
    /// `ByteLevel`: adjusts offsets only, so leaves ids alone.
    case byteLevel
    case sequence([PostProcessor])

    /// Builds a post-processor from its JSON object.
    init(config: ConfigObject) throws {
        let type = try config.type()
        switch type {
        case "TemplateProcessing":
            let specials = try config.object("special_tokens")
            self = .template(try config.objects("single").map { item in
                if let special = try item.optionalObject("SpecialToken") {
                    let name = try special.string("id")
                    guard let entry = try specials.optionalObject(name) else {
                        throw TokenizerError.Fault.invalid(component: "post_processor", reason: "special token \(name) has no ids")
                    }
                    return .special(try entry.array("ids").map { element in
                        guard let id = ConfigObject.integer(element) else {
                            throw TokenizerError.Fault.missingField(entry.fieldPath("ids"))
                        }
                        return id
                    })
                }
                _ = try item.object("Sequence")
                return .sequence
            })
        case "BertProcessing", "RobertaProcessing":
            self = .template([.special([try PostProcessor.tokenID(config, "cls")]), .sequence,
                              .special([try PostProcessor.tokenID(config, "sep")])])
        case "ByteLevel": self = .byteLevel
        case "Sequence": self = .sequence(try config.objects("processors").map(PostProcessor.init(config:)))
        default:
            throw TokenizerError.Fault.unsupported(component: "post_processor", type: type)
        }
    }

    /// The id of a `["[CLS]", 101]` pair.
    private static func tokenID(_ config: ConfigObject, _ key: String) throws -> Int {
        let pair = try config.array(key)
        guard pair.count == 2, case .string = pair[0], let id = ConfigObject.integer(pair[1]) else {
            throw TokenizerError.Fault.missingField(config.fieldPath(key))
        }
        return id
    }

    /// The ids with the special tokens added.
    func process(_ ids: [Int]) -> [Int] {
        switch self {
        case .template(let items):
            return items.flatMap { item -> [Int] in
                if case .special(let special) = item { return special }
                return ids
            }
        case .byteLevel: return ids
        case .sequence(let steps): return steps.reduce(ids) { $1.process($0) }
        }
    }

    /// How many ids `process` adds.
    var addedCount: Int { process([]).count }

    /// The special ids placed before and after the sequence.
    var surroundingIDs: (leading: [Int], trailing: [Int]) {
        let marker = -1
        let all = process([marker])
        guard let position = all.firstIndex(of: marker) else { return (all, []) }
        return (Array(all[..<position]), Array(all[(position + 1)...]))
    }
}
