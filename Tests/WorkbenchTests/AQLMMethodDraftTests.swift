import QuantCore
import Testing
@testable import Workbench
import TUIKit

@Suite struct AQLMMethodDraftTests {
    @Test func draftRoundTripsAQLMAndShowsTheBitsActuallyUsed() throws {
        let options = try AQLMOptions(codebooks: 1, bits: 8, groupSize: 16, beamSize: 2, maxEpochs: 20, stepsPerEpoch: 50,
                                      codebookUpdate: .leastSquares, reseedDeadCodes: true)
        let draft = MethodDraft(.aqlm(options))
        #expect(draft.kind == .aqlm)
        #expect(try draft.build() == .aqlm(options))
        // 1x8g16 on 384×384: 8/16 code bits + 256·16·16/384² codebook bits + 16/384 scale bits.
        let expected = 0.5 + Double(256 * 16 * 16) / Double(384 * 384) + 16.0 / 384
        #expect(abs(draft.effectiveBits(rows: 384, cols: 384)! - expected) < 1e-12)     // fp64 on values ≈ 3: ulps
        #expect(draft.effectiveBits(rows: 384, cols: 40) == nil)        // 40 inputs do not split into groups of 16
    }

    @Test func panelFieldsEditTheScheme() throws {
        var draft = MethodDraft()
        while draft.kind != .aqlm { MethodField.kind.adjust(&draft, by: 1) }
        #expect(MethodField.fields(for: draft).contains(.setting("nbits_per_codebook")))
        #expect(draft.summary == "AQLM 2x8g8")
        MethodField.setting("num_codebooks").adjust(&draft, by: -1)
        MethodField.setting("in_group_size").adjust(&draft, by: 1)
        MethodField.setting("nbits_per_codebook").adjust(&draft, by: 1)
        #expect(draft.summary == "AQLM 1x9g16")
        #expect(MethodField.setting("codebook_update").value(draft) == "adam")
        MethodField.setting("codebook_update").adjust(&draft, by: 1)
        #expect(draft.summary == "AQLM 1x9g16, least-squares codebooks")
        #expect(abs(draft.effectiveBits(rows: 1536, cols: 384)! - AdditiveCodebooks<Float>.bitsPerParameter(
            rows: 1536, cols: 384, codebooks: 1, bits: 9, groupSize: 16)) < 1e-12)           // the same fp64 formula: ulps
    }
}
