import requests


def test_live_server_answers_over_real_http(live_server):
    response = requests.get(live_server + "/connections", timeout=5)
    assert response.status_code == 401
    assert response.json()["Detail"] == "AuthenticationUnsuccessful"
