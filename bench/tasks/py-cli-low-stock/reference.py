def cmd_low_stock(args: argparse.Namespace) -> int:
    low = sorted(
        (item for item in load_inventory(args.inventory) if item["quantity"] < args.threshold),
        key=lambda item: (item["quantity"], item["sku"]),
    )
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["sku", "name", "quantity"])
        for item in low:
            writer.writerow([item["sku"], item["name"], item["quantity"]])
    elif low:
        for item in low:
            print(f"{item['sku']}\t{item['quantity']}\t{item['name']}")
        print(f"{len(low)} items below {args.threshold}")
    else:
        print(f"no items below {args.threshold}")
    return 3 if low else 0


def add_low_stock_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("low-stock", help="list the items that run low")
    parser.add_argument("--threshold", type=positive_int, default=10, help="list items below this quantity")
    parser.add_argument("--format", choices=["text", "csv"], default="text", help="the output format")
    parser.set_defaults(handler=cmd_low_stock)
