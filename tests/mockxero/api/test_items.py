"""/Items over HTTP: codes, sales and purchase details, tracked inventory, update and delete."""

from __future__ import annotations

from tests.helpers import validation_messages

GUITAR = {
    "Code": "GTR",
    "Name": "Guitar",
    "Description": "Fender Strat",
    "SalesDetails": {"UnitPrice": 5000, "AccountCode": "200", "TaxType": "OUTPUT2"},
    "PurchaseDetails": {"UnitPrice": 2500, "AccountCode": "310", "TaxType": "INPUT2"},
}


def create(xero, **item):
    response = xero.put("/Items", {"Items": [item]})
    assert response.status_code == 200, response.get_data(as_text=True)
    (created,) = response.json["Items"]
    return created


def refused(response) -> list[str]:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["ErrorNumber"] == 10
    return validation_messages(response)


def test_create_answers_the_item_with_defaults(xero):
    item = create(xero, Code="abc65591", Name="Hello11350", Description="foobar")
    assert item["IsSold"] is True and item["IsPurchased"] is True and item["IsTrackedAsInventory"] is False
    assert item["SalesDetails"] == {} and item["PurchaseDetails"] == {}
    assert item["UpdatedDateUTC"].endswith("+0000)/")
    assert None not in item.values()


def test_details_are_kept_and_unit_prices_shown_to_two_places(xero):
    item = create(xero, **GUITAR)
    assert item["SalesDetails"] == {"UnitPrice": 5000, "AccountCode": "200", "TaxType": "OUTPUT2"}
    response = xero.get(f"/Items/{item['ItemID']}")
    assert '"UnitPrice":5000.00' in response.get_data(as_text=True)


def test_unit_price_rounds_half_up_to_two_places_without_unitdp(xero):
    item = create(xero, Code="P", SalesDetails={"UnitPrice": "12.345"})
    assert str(item["SalesDetails"]["UnitPrice"]) == "12.35"


def test_a_unit_price_below_the_amount_limit_is_kept(xero):
    item = create(xero, Code="BIG", SalesDetails={"UnitPrice": "999999999999.99"})
    assert str(item["SalesDetails"]["UnitPrice"]) == "999999999999.99"


def test_a_unit_price_at_the_amount_limit_is_refused_not_crashed_on(xero):
    response = xero.put("/Items", {"Items": [{"Code": "HUGE", "PurchaseDetails": {"UnitPrice": 7.7e190}}]})
    assert refused(response) == [
        "The PurchaseDetails.UnitPrice value '7.7E+190' is out of range: amounts must be below 1,000,000,000,000."
    ]


def test_unitdp_4_keeps_and_shows_four_places(xero):
    response = xero.put("/Items?unitdp=4", {"Items": [{"Code": "P", "SalesDetails": {"UnitPrice": "12.34567"}}]})
    assert str(response.json["Items"][0]["SalesDetails"]["UnitPrice"]) == "12.3457"
    assert str(xero.get("/Items/P").json["Items"][0]["SalesDetails"]["UnitPrice"]) == "12.35"
    assert str(xero.get("/Items/P?unitdp=4").json["Items"][0]["SalesDetails"]["UnitPrice"]) == "12.3457"


def test_get_by_code_as_well_as_by_id(xero):
    item = create(xero, **GUITAR)
    assert xero.get("/Items/gtr").json["Items"][0]["ItemID"] == item["ItemID"]
    assert xero.get(f"/Items/{item['ItemID']}").json["Items"][0]["Code"] == "GTR"
    assert xero.get("/Items/NOPE").status_code == 404
    assert xero.get("/Items/00000000-0000-0000-0000-00000000abcd").status_code == 404


def test_list_returns_every_item(xero):
    create(xero, Code="A")
    create(xero, Code="B")
    assert [i["Code"] for i in xero.get("/Items").json["Items"]] == ["A", "B"]


def test_code_is_required(xero):
    assert refused(xero.put("/Items", {"Items": [{"Name": "Nameless"}]})) == ["Please enter a Code."]


def test_code_of_30_is_accepted_and_31_refused(xero):
    assert create(xero, Code="c" * 30)["Code"] == "c" * 30
    assert refused(xero.put("/Items", {"Items": [{"Code": "c" * 31}]})) == [
        "Item Code must not be more than 30 characters long."
    ]


def test_duplicate_code_gets_xeros_message_with_doubled_quotes(xero):
    create(xero, Code="abc")
    response = xero.put("/Items", {"Items": [{"Code": "ABC", "Name": "Again"}]})
    assert refused(response) == ["Price List Item with Code ''ABC'' already exists"]


def test_name_of_50_is_accepted_and_51_refused(xero):
    assert create(xero, Code="N", Name="n" * 50)["Name"] == "n" * 50
    assert refused(xero.put("/Items", {"Items": [{"Code": "M", "Name": "n" * 51}]})) == [
        "Item Name must not be more than 50 characters long."
    ]


def test_descriptions_of_4000_are_accepted_and_4001_refused(xero):
    item = create(xero, Code="D", Description="d" * 4000, PurchaseDescription="p" * 4000)
    assert len(item["Description"]) == len(item["PurchaseDescription"]) == 4000
    response = xero.put(
        "/Items", {"Items": [{"Code": "E", "Description": "d" * 4001, "PurchaseDescription": "p" * 4001}]}
    )
    assert refused(response) == [
        "Item Description must not be more than 4000 characters long.",
        "Item PurchaseDescription must not be more than 4000 characters long.",
    ]


def test_account_code_must_exist_and_be_active(xero):
    response = xero.put("/Items", {"Items": [{"Code": "X", "SalesDetails": {"AccountCode": "999"}}]})
    assert refused(response) == ["Account code '999' does not match a recognised account."]
    account = xero.put("/Accounts", {"Code": "205", "Name": "Old sales", "Type": "REVENUE"}).json["Accounts"][0]
    xero.post(f"/Accounts/{account['AccountID']}", {"Accounts": [{"Status": "ARCHIVED"}]})
    response = xero.put("/Items", {"Items": [{"Code": "X", "SalesDetails": {"AccountCode": "205"}}]})
    assert refused(response) == ["Account code '205' has been archived, or has been deleted."]


def test_tax_type_must_be_an_active_rate(xero):
    response = xero.put("/Items", {"Items": [{"Code": "X", "PurchaseDetails": {"TaxType": "GST15"}}]})
    assert refused(response) == [
        "The TaxType code 'GST15' does not exist or cannot be used for this type of transaction."
    ]


def test_not_sold_clears_description_and_sales_details(xero):
    item = create(xero, **GUITAR)
    response = xero.post(f"/Items/{item['ItemID']}", {"Items": [{"IsSold": False}]})
    assert response.status_code == 200
    changed = response.json["Items"][0]
    assert changed["IsSold"] is False and changed["SalesDetails"] == {} and "Description" not in changed
    assert changed["PurchaseDetails"]["AccountCode"] == "310"


def test_not_purchased_clears_purchase_description_and_details(xero):
    item = create(xero, **GUITAR, PurchaseDescription="From the factory", IsPurchased=False)
    assert item["PurchaseDetails"] == {} and "PurchaseDescription" not in item
    assert item["SalesDetails"]["AccountCode"] == "200"


def test_tracked_inventory_needs_an_inventory_account_and_cogs(xero):
    item = create(
        xero, Code="T", InventoryAssetAccountCode="630", PurchaseDetails={"COGSAccountCode": "310", "UnitPrice": 10}
    )
    assert item["IsTrackedAsInventory"] is True
    assert str(item["TotalCostPool"]) == "0.00" and str(item["QuantityOnHand"]) == "0.0000"
    assert refused(xero.put("/Items", {"Items": [{"Code": "U", "InventoryAssetAccountCode": "630"}]})) == [
        "A COGSAccountCode in PurchaseDetails is required to track an item as inventory."
    ]
    assert refused(
        xero.put(
            "/Items",
            {
                "Items": [
                    {"Code": "U", "InventoryAssetAccountCode": "200", "PurchaseDetails": {"COGSAccountCode": "310"}}
                ]
            },
        )
    ) == ["The InventoryAssetAccountCode must be an account of type INVENTORY."]
    assert refused(xero.put("/Items", {"Items": [{"Code": "U", "PurchaseDetails": {"COGSAccountCode": "310"}}]})) == [
        "An InventoryAssetAccountCode is required to track an item as inventory."
    ]
    assert refused(
        xero.put(
            "/Items",
            {
                "Items": [
                    {
                        "Code": "U",
                        "InventoryAssetAccountCode": "630",
                        "PurchaseDetails": {"COGSAccountCode": "310", "AccountCode": "429"},
                    }
                ]
            },
        )
    ) == ["PurchaseDetails AccountCode does not apply to tracked items; use COGSAccountCode."]


def test_post_updates_by_code_and_merges_details(xero):
    item = create(xero, **GUITAR)
    response = xero.post("/Items", {"Items": [{"Code": "gtr", "SalesDetails": {"UnitPrice": 5500}}]})
    assert response.status_code == 200
    changed = response.json["Items"][0]
    assert changed["ItemID"] == item["ItemID"]
    assert changed["SalesDetails"] == {"UnitPrice": 5500, "AccountCode": "200", "TaxType": "OUTPUT2"}


def test_post_updates_by_item_id_and_may_rename_the_code(xero, clock):
    item = create(xero, **GUITAR)
    clock.advance(5)
    response = xero.post("/Items", {"Items": [{"ItemID": item["ItemID"], "Code": "GTR-2"}]})
    assert response.json["Items"][0]["Code"] == "GTR-2"
    assert response.json["Items"][0]["UpdatedDateUTC"] != item["UpdatedDateUTC"]
    assert xero.get("/Items/GTR").status_code == 404


def test_post_with_an_unknown_item_id_is_refused(xero):
    response = xero.post("/Items", {"Items": [{"ItemID": "00000000-0000-0000-0000-00000000abcd", "Code": "Z"}]})
    assert refused(response) == ["An existing Item with the specified ItemID could not be found"]


def test_post_with_a_new_code_creates(xero):
    response = xero.post("/Items", {"Items": [{"Code": "NEW", "Name": "New"}]})
    assert response.status_code == 200
    assert xero.get("/Items/NEW").json["Items"][0]["Name"] == "New"


def test_renaming_onto_another_items_code_is_refused(xero):
    create(xero, Code="A")
    b = create(xero, Code="B")
    response = xero.post(f"/Items/{b['ItemID']}", {"Items": [{"Code": "a"}]})
    assert refused(response) == ["Price List Item with Code ''a'' already exists"]


def test_post_to_an_unknown_item_path_is_404(xero):
    assert xero.post("/Items/NOPE", {"Items": [{"Name": "X"}]}).status_code == 404


def test_delete_answers_204_and_the_item_is_gone(xero):
    item = create(xero, **GUITAR)
    response = xero.delete(f"/Items/{item['ItemID']}")
    assert response.status_code == 204 and response.get_data() == b""
    assert xero.get(f"/Items/{item['ItemID']}").status_code == 404
    assert xero.delete(f"/Items/{item['ItemID']}").status_code == 404
    assert create(xero, **GUITAR)["Code"] == "GTR"  # the code is free again


def test_batch_saves_good_items_and_reports_bad_ones(xero):
    response = xero.put("/Items", {"Items": [{"Code": "OK"}, {"Code": ""}]})
    assert refused(response) == ["Please enter a Code."]
    assert [i["Code"] for i in xero.get("/Items").json["Items"]] == ["OK"]


def test_a_wrong_type_is_post_data_invalid(xero):
    response = xero.put("/Items", {"Items": [{"Code": "X", "SalesDetails": {"UnitPrice": "lots"}}]})
    assert response.status_code == 400 and response.json["Type"] == "PostDataInvalidException"
    assert "Items[0].SalesDetails.UnitPrice" in response.json["Message"]


def test_where_and_order_on_items(xero):
    create(xero, Code="B")
    create(xero, Code="A", IsSold=False)
    create(xero, Code="C")
    sold = xero.get("/Items?where=IsSold==true&order=Code DESC").json["Items"]
    assert [i["Code"] for i in sold] == ["C", "B"]


def test_list_shows_unit_prices_to_the_requested_places(xero):
    xero.put("/Items?unitdp=4", {"Items": [{"Code": "P", "SalesDetails": {"UnitPrice": "1.2345"}}]})
    assert str(xero.get("/Items").json["Items"][0]["SalesDetails"]["UnitPrice"]) == "1.23"
    assert str(xero.get("/Items?unitdp=4").json["Items"][0]["SalesDetails"]["UnitPrice"]) == "1.2345"
