import Testing
import TUIKit
@testable import Workbench

@Suite("Main layout") struct MainLayoutTests {
    @Test func mainLayoutTilesTheScreen() {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 200, height: 60)] {
            let l = MainLayout(size: size, blocks: 6)
            #expect(l.table.maxX == l.chart.x && l.chart.maxX == size.width)
            #expect(l.table.maxY == l.heatmap.y && l.heatmap.maxY == l.status.y && l.status.maxY == size.height)
            #expect(l.tableRows.height >= 4)
        }
        #expect(MainLayout.tooSmall(Size(width: 79, height: 40)) && MainLayout.tooSmall(Size(width: 120, height: 23)))
    }
}
