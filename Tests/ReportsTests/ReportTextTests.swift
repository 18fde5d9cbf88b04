import Testing
@testable import Reports

@Suite struct ReportTextTests {
    @Test func csvQuotesOnlyWhenNeeded() {
        #expect(CSVTable.quote("plain") == "plain" && CSVTable.quote("") == "")
        #expect(CSVTable.quote("a,b") == "\"a,b\"" && CSVTable.quote("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVTable.quote("two\r\nlines") == "\"two\r\nlines\"" && CSVTable.quote("cr\r") == "\"cr\r\"")
        #expect(CSVTable(header: ["a", "b"], rows: [["1", "x,y"]]).text == "a,b\r\n1,\"x,y\"\r\n")
    }

    @Test func cpuModelFromCPUInfo() {
        let x86 = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Processor\n"
        #expect(RunEnvironment.cpuModel(fromCPUInfo: x86) == "Intel(R) Xeon(R) Processor")
        #expect(RunEnvironment.cpuModel(fromCPUInfo: "processor : 0\nModel : Raspberry Pi 5\n") == "Raspberry Pi 5")
        #expect(RunEnvironment.cpuModel(fromCPUInfo: "model name :\n") == nil)
        let here = RunEnvironment.current()
        #expect(here.cores >= 1 && here.blas.hasPrefix("OpenBLAS ") && here.blas.hasSuffix(" kernels"))
    }

    @Test func humanNumbers() {
        #expect(ReportNumber.relErr(0.012345) == "0.0123" && ReportNumber.relErr(1.5e-5) == "1.5e-05")
        #expect(ReportNumber.duration(12.34) == "12.3 s" && ReportNumber.duration(83.5) == "1 min 24 s")
        #expect(ReportNumber.duration(7322) == "2 h 2 min" && ReportNumber.duration(.infinity) == "inf s")
        #expect(ReportNumber.count(22_700_000) == "22.7M" && ReportNumber.count(590_000) == "590k" && ReportNumber.count(96) == "96")
    }
}
