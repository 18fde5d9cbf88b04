print("quantbench")
