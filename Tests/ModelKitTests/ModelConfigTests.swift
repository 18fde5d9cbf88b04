import Foundation
import Testing
@testable import ModelKit

private func parse(_ json: String) throws(ModelConfigError) -> ModelConfig {
    try ModelConfig.parse(Array(json.utf8), file: "config.json")
}

@Suite("Model config")
struct ModelConfigTests {
    @Test func parsesTheMiniLMBertConfig() throws {
        let config = try parse(#"""
        {"architectures":["BertModel"],"attention_probs_dropout_prob":0.1,"hidden_act":"gelu","hidden_size":384,
         "intermediate_size":1536,"layer_norm_eps":1e-12,"max_position_embeddings":512,"model_type":"bert",
         "num_attention_heads":12,"num_hidden_layers":6,"pad_token_id":0,"position_embedding_type":"absolute",
         "type_vocab_size":2,"vocab_size":30522}
        """#)
        guard case let .bert(bert) = config else { Issue.record("expected bert, got \(config.modelType)"); return }
        #expect(bert.hiddenSize == 384 && bert.layerCount == 6 && bert.headCount == 12 && bert.headDim == 32)
        #expect(bert.intermediateSize == 1536 && bert.vocabSize == 30522 && bert.typeVocabSize == 2)
        #expect(bert.layerNormEps == 1e-12 && bert.hiddenAct == "gelu" && bert.padTokenId == 0)
        #expect(config.modelType == "bert" && config.layerCount == 6 && config.hiddenSize == 384)
    }

    @Test func parsesLlama32WithLlama3RopeTiedEmbeddingsAndGQA() throws {
        let config = try parse(#"""
        {"model_type":"llama","hidden_size":2048,"intermediate_size":8192,"num_hidden_layers":16,
         "num_attention_heads":32,"num_key_value_heads":8,"head_dim":64,"rms_norm_eps":1e-05,"vocab_size":128256,
         "max_position_embeddings":131072,"tie_word_embeddings":true,"attention_bias":false,"mlp_bias":false,
         "hidden_act":"silu","bos_token_id":128000,"eos_token_id":[128001,128008,128009],"rope_theta":500000.0,
         "rope_scaling":{"factor":32.0,"high_freq_factor":4.0,"low_freq_factor":1.0,
                         "original_max_position_embeddings":8192,"rope_type":"llama3"}}
        """#)
        guard case let .llama(llama) = config else { Issue.record("expected llama"); return }
        #expect(llama.headCount == 32 && llama.kvHeadCount == 8 && llama.groupSize == 4 && llama.headDim == 64)
        #expect(llama.tieWordEmbeddings && !llama.qkvBias && !llama.outputProjectionBias && !llama.mlpBias)
        #expect(llama.rmsNormEps == 1e-5 && llama.bosTokenId == 128000 && llama.eosTokenIds == [128001, 128008, 128009])
        #expect(llama.rope == RoPEConfig(theta: 500_000, scaling: .llama3(Llama3RoPEScaling(
            factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192))))
    }

    @Test func llamaDefaultsWithoutGQAOrScaling() throws {
        let config = try parse(#"""
        {"model_type":"llama","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,
         "vocab_size":100,"rope_scaling":null,"eos_token_id":2,"attention_bias":true}
        """#)
        guard case let .llama(llama) = config else { Issue.record("expected llama"); return }
        #expect(llama.kvHeadCount == 4 && llama.headDim == 16 && llama.rope == RoPEConfig(theta: 10_000, scaling: .none))
        #expect(llama.eosTokenIds == [2] && !llama.tieWordEmbeddings && llama.rmsNormEps == 1e-6)
        #expect(llama.qkvBias && llama.outputProjectionBias)
    }

    @Test func readsTransformersV5RopeParameters() throws {
        let config = try parse(#"""
        {"model_type":"llama","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,
         "num_key_value_heads":2,"vocab_size":100,"rope_parameters":{"rope_theta":250000.0,"rope_type":"linear","factor":2.0}}
        """#)
        guard case let .llama(llama) = config else { Issue.record("expected llama"); return }
        #expect(llama.rope == RoPEConfig(theta: 250_000, scaling: .linear(factor: 2)))
    }

    @Test func qwen2HasBiasesOnQKVOnly() throws {
        let config = try parse(#"""
        {"model_type":"qwen2","hidden_size":896,"intermediate_size":4864,"num_hidden_layers":24,"num_attention_heads":14,
         "num_key_value_heads":2,"vocab_size":151936,"rope_theta":1000000.0,"tie_word_embeddings":true}
        """#)
        guard case let .llama(qwen) = config else { Issue.record("expected the llama family"); return }
        #expect(qwen.modelType == "qwen2" && config.modelType == "qwen2")
        #expect(qwen.qkvBias && !qwen.outputProjectionBias && qwen.headDim == 64 && qwen.groupSize == 7)
    }

    @Test func parsesOPT125mAnd350m() throws {
        let small = try parse(#"""
        {"model_type":"opt","hidden_size":768,"ffn_dim":3072,"num_hidden_layers":12,"num_attention_heads":12,
         "vocab_size":50272,"word_embed_proj_dim":768,"do_layer_norm_before":true,"_remove_final_layer_norm":false,
         "activation_function":"relu","enable_bias":true,"pad_token_id":1,"bos_token_id":2,"eos_token_id":2}
        """#)
        guard case let .opt(opt) = small else { Issue.record("expected opt"); return }
        #expect(opt.ffnDim == 3072 && opt.wordEmbedProjDim == 768 && opt.hasFinalLayerNorm && opt.tieWordEmbeddings)
        #expect(opt.maxPositionEmbeddings == 2048 && opt.headDim == 64 && opt.bosTokenId == 2)

        let postLN = try parse(#"""
        {"model_type":"opt","hidden_size":1024,"ffn_dim":4096,"num_hidden_layers":24,"num_attention_heads":16,
         "vocab_size":50272,"word_embed_proj_dim":512,"do_layer_norm_before":false}
        """#)
        guard case let .opt(opt350) = postLN else { Issue.record("expected opt"); return }
        #expect(opt350.wordEmbedProjDim == 512 && !opt350.doLayerNormBefore && !opt350.hasFinalLayerNorm)
    }

    @Test func parsesGPT2WithNullInnerSize() throws {
        let config = try parse(#"""
        {"model_type":"gpt2","n_embd":768,"n_layer":12,"n_head":12,"n_positions":1024,"n_inner":null,
         "vocab_size":50257,"layer_norm_epsilon":1e-05,"activation_function":"gelu_new","bos_token_id":50256}
        """#)
        guard case let .gpt2(gpt2) = config else { Issue.record("expected gpt2"); return }
        #expect(gpt2.innerSize == 3072 && gpt2.headDim == 64 && gpt2.tieWordEmbeddings && gpt2.scaleAttnWeights)
        #expect(!gpt2.scaleAttnByInverseLayerIdx && !gpt2.reorderAndUpcastAttn && gpt2.layerNormEpsilon == 1e-5)
    }

    @Test func unsupportedModelTypeIsNamed() throws {
        #expect(throws: ModelConfigError.unsupportedModelType(file: "config.json", modelType: "t5")) {
            try parse(#"{"model_type":"t5","d_model":512}"#)
        }
        let message = ModelConfigError.unsupportedModelType(file: "config.json", modelType: "t5").description
        #expect(message == "config.json: unsupported model_type 't5' (supported: bert, gpt2, llama, mistral, opt, qwen2)")
    }

    @Test func reportsMissingAndMistypedKeys() {
        #expect(throws: ModelConfigError.missingModelType(file: "config.json")) { try parse(#"{"hidden_size":4}"#) }
        #expect(throws: ModelConfigError.missingKey(file: "config.json", key: "ffn_dim")) {
            try parse(#"{"model_type":"opt","hidden_size":8,"num_hidden_layers":1,"num_attention_heads":2,"vocab_size":10}"#)
        }
        #expect(throws: ModelConfigError.invalidValue(file: "config.json", key: "n_embd", reason: "is not an integer")) {
            try parse(#"{"model_type":"gpt2","n_embd":"768","n_layer":1,"n_head":1,"vocab_size":10}"#)
        }
        #expect(throws: ModelConfigError.invalidValue(file: "config.json", key: "n_layer", reason: "must be positive, found 0")) {
            try parse(#"{"model_type":"gpt2","n_embd":8,"n_layer":0,"n_head":1,"vocab_size":10}"#)
        }
        #expect(throws: ModelConfigError.invalidValue(file: "config.json", key: "num_attention_heads", reason: "(5) does not divide 384")) {
            try parse(#"{"model_type":"bert","hidden_size":384,"num_hidden_layers":1,"num_attention_heads":5,"intermediate_size":8,"vocab_size":10}"#)
        }
    }

    @Test func rejectsUnsupportedRopeTypesAndBadGrouping() {
        let base = #""model_type":"llama","hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,"vocab_size":100"#
        #expect(throws: ModelConfigError.invalidValue(file: "config.json", key: "rope_scaling.rope_type",
                                                       reason: "'yarn' is not supported (supported: default, linear, llama3)")) {
            try parse("{\(base),\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0}}")
        }
        #expect(throws: ModelConfigError.missingKey(file: "config.json", key: "rope_scaling.low_freq_factor")) {
            try parse("{\(base),\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0}}")
        }
        #expect(throws: ModelConfigError.invalidValue(file: "config.json", key: "num_key_value_heads", reason: "(3) does not divide 4")) {
            try parse("{\(base),\"num_key_value_heads\":3}")
        }
    }

    @Test func invalidJSONAndMissingFileAreTypedErrors() throws {
        #expect(throws: ModelConfigError.invalidJSON(file: "config.json", reason: "byte 1: expected a string key")) {
            try parse("{,}")
        }
        #expect(throws: ModelConfigError.invalidJSON(file: "config.json", reason: "the top level is not an object")) {
            try parse("[]")
        }
        let scratch = try CheckpointScratch()
        let url = scratch.file("config.json")
        #expect {
            try ModelConfig.load(from: url)
        } throws: { error in
            guard case let .cannotRead(file, _) = error as? ModelConfigError else { return false }
            return file == url.path
        }
    }
}
